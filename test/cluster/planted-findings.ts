// Findings the system must raise and announce, planted from outside: invoices only the authority has (issued on the
// tax bureau's portal) for taxpayers no device of the suite belongs to, so a reconciliation of each of them raises
// exactly one MISSING_IN_LEDGER per planted invoice and nothing else. Finance staff responsible for those taxpayers
// and a rule sending that finding by email and SMS say what the notifier owes; its delivery log and the sandbox's
// mailbox and SMS gateway say what it did.
import { periodOf, withUsccCheckDigit } from '@lib/domain';
import { requestJson, type JsonBody } from '@lib/testing';
import type { Device, Taxpayer } from '../system/enterprise';
import { INVOICE_TYPES, InvoiceFactory } from '../system/invoice-factory';
import type { SystemHarness } from '../system/system-harness';

/** Taxpayers of the group with no device in the suite: only their portal invoices reach the authority. */
const PORTAL_ONLY = ['91320505MA1W8E2Q5', '91330108MA2H3K7P4', '91420106MA4K9R2T8', '91510107MA6C4N8X1'];

export const PLANTED_TYPE = 'MISSING_IN_LEDGER';

export interface Scope {
  taxNo: string;
  period: string;
}

/** The notifier's delivery log entry, as its API shows it. */
export interface DeliveryEntry {
  id: string;
  channel: string;
  status: string;
  findingId: string;
  recipientId: string;
  messageRef: string;
  lastError: { code: string; message: string } | null;
}

export class PlantedFindings {
  readonly scopes: Scope[];

  constructor(
    private readonly system: SystemHarness,
    private readonly perScope: number,
  ) {
    const period = periodOf(this.issuedAt());
    this.scopes = PORTAL_ONLY.map((base) => ({ taxNo: withUsccCheckDigit(base), period }));
  }

  /**
   * Two people responsible for every planted taxpayer at the first level (each is told of each finding), and the
   * group's rule for an invoice the ledger lacks: email and SMS at once, above the seeded catch-alls.
   */
  async route(): Promise<void> {
    const scopes = this.scopes.map((s) => ({ taxNo: s.taxNo, branchId: '*', level: 1 }));
    await this.call('notifier', 'POST', '/v1/recipients', {
      name: '税务主管 王芳',
      email: 'wang.fang@finance.example.cn',
      mobile: '13900004001',
      language: 'zh-CN',
      scopes,
    });
    await this.call('notifier', 'POST', '/v1/recipients', {
      name: 'Tax lead Li Wei',
      email: 'li.wei@finance.example.cn',
      mobile: '13900004002',
      language: 'en',
      scopes,
    });
    await this.call('notifier', 'POST', '/v1/rules', {
      findingType: PLANTED_TYPE,
      minSeverity: 'info',
      channels: ['email', 'sms'],
      level: 1,
      mode: 'immediate',
      priority: 50,
    });
  }

  /** What the rules call for: per planted invoice, one email and one SMS to each of the two people. */
  get expectedPerChannel(): number {
    return this.scopes.length * this.perScope * 2;
  }

  /** The portal invoices of every scope, of every type, at the authority (visible at once). */
  async plant(): Promise<void> {
    const records = this.scopes.flatMap((scope, t) => {
      const factory = new InvoiceFactory(portalDevice(scope.taxNo, t));
      return Array.from({ length: this.perScope }, (_, i) => ({
        invoice: factory.blue(INVOICE_TYPES[i % INVOICE_TYPES.length], this.issuedAt(), 700 + i).invoice,
        visible: true,
      }));
    });
    await this.system.sandbox.seedAuthorityRecords(records);
  }

  /** Asks reconcile for a run of the scope and waits for it to end; its findings are then on their way. */
  async reconcile(scope: Scope): Promise<string> {
    const { runId } = (await this.call('reconcile', 'POST', '/v1/reconciliations', scope)) as {
      runId: string;
    };
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      const run = (await this.call('reconcile', 'GET', `/v1/reconciliations/${runId}`)) as { state: string };
      if (!['queued', 'running'].includes(run.state)) return run.state;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`reconciliation of ${scope.taxNo} ${scope.period} did not end`);
  }

  /** Reconcile's findings of the planted scopes, by type. */
  async findingTypes(): Promise<Record<string, number>> {
    const types: Record<string, number> = {};
    for (const scope of this.scopes) {
      const page = (await this.call(
        'reconcile',
        'GET',
        `/v1/findings?taxNo=${scope.taxNo}&period=${scope.period}&limit=500`,
      )) as { items: { type: string }[] };
      for (const f of page.items) types[f.type] = (types[f.type] ?? 0) + 1;
    }
    return types;
  }

  /** Every entry of the notifier's delivery log. */
  async deliveryLog(): Promise<DeliveryEntry[]> {
    const entries: DeliveryEntry[] = [];
    let cursor: string | null = null;
    do {
      const page = (await this.call(
        'notifier',
        'GET',
        `/v1/notifications?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      )) as { items: DeliveryEntry[]; nextCursor: string | null };
      entries.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return entries;
  }

  /** A person's resend of a held notification (the admin API's, with the same Message-ID or OutId). */
  async resend(id: string): Promise<void> {
    await this.call('notifier', 'POST', `/v1/notifications/${id}/resend`);
  }

  /** How many times each message reference reached the sandbox: mail by its Message-ID, SMS by its OutId. */
  async arrivals(): Promise<{ mail: Map<string, number>; sms: Map<string, number> }> {
    const count = (refs: string[]) => {
      const seen = new Map<string, number>();
      for (const ref of refs) seen.set(ref, (seen.get(ref) ?? 0) + 1);
      return seen;
    };
    return {
      // <n0123…@notifier.invoice-sync.local>: the local part is the notification's message reference.
      mail: count((await this.system.sandbox.mail()).map((m) => (m.messageId ?? '').replace(/^<|@.*$/g, ''))),
      sms: count((await this.system.sandbox.sms()).map((m) => m.outId ?? '')),
    };
  }

  /** An hour ago (the period of a run just after midnight on the 1st is then still the one the invoices are in). */
  private issuedAt(): Date {
    return new Date(this.system.clock.now().getTime() - 3_600_000);
  }

  private async call(
    service: 'notifier' | 'reconcile',
    method: string,
    path: string,
    body?: unknown,
  ): Promise<JsonBody> {
    const token =
      service === 'notifier' ? this.system.secrets.notifierAdminToken : this.system.secrets.reconcileApiToken;
    const response = await requestJson(this.system.urls[service], method, path, body, token);
    if (response.status >= 300)
      throw new Error(`${service} ${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }
}

/** The tax bureau's portal, issuing in the taxpayer's name (numbers apart from every device of the suite). */
function portalDevice(taxNo: string, index: number): Device {
  const taxpayer: Taxpayer = {
    index: 10 + index,
    taxNo,
    name: `集团成员企业${index + 1}有限公司`,
    city: 'portal',
    platforms: [],
    allowFailover: false,
    nuonuoAccount: false,
    voids: false,
  };
  return {
    index: 990 + index,
    branch: { taxpayer, branchId: 'portal', name: '电子税务局' },
    name: 'tax bureau portal',
  };
}
