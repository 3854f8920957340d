import { requestJson, type JsonBody } from '@lib/testing';

export type SandboxTarget = 'authority' | 'baiwang' | 'nuonuo' | 'sms' | 'smtp';

export interface TargetCounters {
  received: number;
  accepted: number;
  duplicates: number;
  duplicateKeys: string[];
  rejected: number;
  signatureFailures: number;
  authFailures: number;
  relayedDuplicates?: number;
  faults: Record<string, number>;
}

export interface SandboxState {
  authority: TargetCounters & {
    relayedDuplicates: number;
    store: { records: number; visible: number; pendingVisibility: number; neverVisible: number };
  };
  baiwang: TargetCounters;
  nuonuo: TargetCounters;
  sms: { messages: number } & Record<string, unknown>;
  smtp: { messages: number } & Record<string, unknown>;
}

export interface SandboxMail {
  messageId: string | null;
  to: string[];
  subject: string | null;
  text: string | null;
  html: string | null;
  headers: Record<string, string>;
}

export interface SandboxSms {
  bizId: string;
  phoneNumber: string;
  templateCode: string;
  content: string;
  segments: number;
  outId: string | null;
}

export interface SandboxRobotMessage {
  robot: string;
  msgtype: string;
  title: string | null;
  content: string;
}

/** The sandbox's control API over HTTP: the same calls whether the sandbox runs in this process or another. */
export class SandboxClient {
  constructor(private readonly controlUrl: string) {}

  async state(): Promise<SandboxState> {
    return (await this.call('GET', '/state')) as SandboxState;
  }

  async setFaults(target: SandboxTarget, spec: Record<string, unknown>): Promise<void> {
    await this.call('POST', '/faults', { target, ...spec });
  }

  async clearFaults(target?: SandboxTarget): Promise<void> {
    await this.call('DELETE', target ? `/faults?target=${target}` : '/faults');
  }

  /** Invoices only the authority has (issued elsewhere, e.g. on the tax bureau's portal). */
  async seedAuthorityRecords(records: { invoice: unknown; visible?: boolean }[]): Promise<void> {
    const body = await this.call('POST', '/authority/records', { records });
    const errors = (body as { seeded?: { errors?: unknown[] } }).seeded?.errors ?? [];
    if (errors.length) throw new Error(`sandbox refused seeded records: ${JSON.stringify(errors)}`);
  }

  /** The authority's own record of devices' clear-cards (清卡 done before the system watched them). */
  async seedClearCards(
    items: {
      taxNo: string;
      deviceNo: string;
      period: string;
      status: 'CLEARED' | 'FAILED';
      clearedAt?: string;
    }[],
  ): Promise<void> {
    await this.call('POST', '/authority/clear-card', { items });
  }

  /** Devices hosted at Baiwang (cloud devices), with the offline invoices each holds unuploaded. */
  async hostBaiwangDevices(
    devices: { taxNo: string; machineNo: string; offlinePending?: number }[],
  ): Promise<void> {
    for (const device of devices) await this.call('POST', '/baiwang/devices', device);
  }

  async mail(): Promise<SandboxMail[]> {
    return ((await this.call('GET', '/mail')) as { items: SandboxMail[] }).items;
  }

  async sms(): Promise<SandboxSms[]> {
    return ((await this.call('GET', '/sms')) as { items: SandboxSms[] }).items;
  }

  /** Invoices suppliers issued to us (进项), as the authority holds them: normal, voided or red-reversed. */
  async plantReceivedInvoices(
    invoices: { invoice: unknown; status: 'normal' | 'voided' | 'red-reversed' }[],
  ): Promise<void> {
    await this.call('POST', '/authority/received-invoices', { invoices }, [201]);
  }

  /** What a group robot platform's robots took. */
  async robots(platform: 'wecom' | 'dingtalk' | 'feishu'): Promise<SandboxRobotMessage[]> {
    return ((await this.call('GET', `/robots/${platform}`)) as { items: SandboxRobotMessage[] }).items;
  }

  async authorityInvoice(key: string): Promise<JsonBody> {
    return this.call('GET', `/authority/invoices/${encodeURIComponent(key)}`, undefined, [200, 404]);
  }

  private async call(method: string, path: string, body?: unknown, ok = [200, 201, 204]): Promise<JsonBody> {
    const response = await requestJson(this.controlUrl, method, `/__sandbox${path}`, body);
    if (!ok.includes(response.status))
      throw new Error(`sandbox ${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }
}
