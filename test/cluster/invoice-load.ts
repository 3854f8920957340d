// Devices of a small enterprise sending invoices through the gateway, the way the fault suite does it: batches of
// ten spread over the devices, a batch the gateway could not take sent again until it answers, every accepted
// invoice counted. What the system made of them is counted afterwards (tally).
import { Client } from 'pg';
import { DeviceClient, GatewayAdminClient } from '@lib/device-client';
import { requestJson } from '@lib/testing';
import { buildEnterprise, type Device } from '../system/enterprise';
import { INVOICE_TYPES, InvoiceFactory, type ScenarioItem } from '../system/invoice-factory';
import type { SystemHarness } from '../system/system-harness';

export class InvoiceLoad {
  sent = 0;
  accepted = 0;
  private variant = 0;
  private readonly factories = new Map<number, InvoiceFactory>();
  /**
   * The gateways the devices send to: each batch goes to one of them (by device and attempt), and a batch one of
   * them could not take is sent again to the next, the way a load balancer's retry would.
   */
  gateways: string[];

  private constructor(
    system: SystemHarness,
    private readonly devices: Device[],
  ) {
    this.gateways = [system.urls['device-gateway']];
    for (const device of devices) this.factories.set(device.index, new InvoiceFactory(device));
  }

  /** Registers the devices at the gateway and every taxpayer's routing at sync. */
  static async register(system: SystemHarness): Promise<InvoiceLoad> {
    const enterprise = buildEnterprise({ taxpayers: 3, branches: 3, devicesPerBranch: 1 });
    const gateway = new GatewayAdminClient(system.urls['device-gateway'], system.secrets.gatewayAdminToken);
    for (const device of enterprise.devices) {
      const created = await gateway.mustRegister({
        taxNo: device.branch.taxpayer.taxNo,
        branchId: device.branch.branchId,
        name: device.name,
      });
      Object.assign(device, { deviceId: created.deviceId, secret: created.secret });
    }
    for (const t of enterprise.taxpayers) {
      const r = await requestJson(
        system.urls.sync,
        'PUT',
        `/v1/routing/${t.taxNo}`,
        { platforms: t.platforms, allowFailover: t.allowFailover },
        system.secrets.syncAdminToken,
      );
      if (r.status !== 200) throw new Error(`routing of ${t.taxNo} refused: ${r.status}`);
    }
    return new InvoiceLoad(system, enterprise.devices);
  }

  /** Sends `count` new invoices; `onProgress` runs after each batch of ten with how many this call has sent. */
  async ingest(count: number, onProgress?: (sentByThisCall: number) => Promise<void> | void): Promise<void> {
    const items: [Device, ScenarioItem][] = Array.from({ length: count }, (_, i) => {
      const device = this.devices[i % this.devices.length];
      const type = INVOICE_TYPES[this.variant % INVOICE_TYPES.length];
      const factory = this.factories.get(device.index)!;
      return [device, factory.blue(type, new Date(Date.now() - 3_600_000), this.variant++)];
    });
    for (let i = 0; i < items.length; i += 10) {
      const chunk = items.slice(i, i + 10);
      for (const device of this.devices) {
        const mine = chunk.filter(([d]) => d === device).map(([, item]) => item);
        if (mine.length) this.accepted += await this.sendUntilTaken(device, mine);
      }
      this.sent += chunk.length;
      await onProgress?.(i + chunk.length);
    }
  }

  private async sendUntilTaken(device: Device, items: ScenarioItem[]): Promise<number> {
    for (let attempt = 0; attempt < 60; attempt++) {
      const client = new DeviceClient({
        baseUrl: this.gateways[(device.index + attempt) % this.gateways.length],
        deviceId: device.deviceId!,
        secret: device.secret!,
        timeoutMs: 10_000,
      });
      const response = await client.postInvoices(items).catch(() => null);
      // A batch sent again after an attempt without an answer (a gateway killed or paused after its commit, a
      // timeout) is answered `duplicate` for what that attempt stored: taken all the same. The eventIds are new, so
      // a first attempt cannot meet a duplicate.
      const taken = attempt === 0 ? ['accepted'] : ['accepted', 'duplicate'];
      if (response?.status === 200)
        return response.body.results.filter((r) => taken.includes(r.status)).length;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    throw new Error('the gateway never took the batch');
  }
}

export interface Tally {
  fault: string;
  sent: number;
  accepted: number;
  syncLedger: number;
  atAuthority: number;
  /** Second uploads of one invoice, over the authority, Baiwang and Nuonuo. */
  duplicates: number;
  /** Emails and SMS the sandbox received, and how many of them repeated one already received (same message id). */
  notifications: number;
  duplicateNotifications: number;
  undelivered: number;
  recoveredInSeconds: number;
}

/** What the system holds once quiet, against what the devices sent. */
export async function tally(
  system: SystemHarness,
  db: Client,
  load: InvoiceLoad,
  fault: string,
  faultEndedAt: number,
): Promise<Tally> {
  const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0].n);
  const state = await system.sandbox.state();
  const sync = system.schemaOf('sync');
  return {
    fault,
    sent: load.sent,
    accepted: load.accepted,
    syncLedger: await count(`SELECT count(*) AS n FROM ${sync}.invoices`),
    atAuthority: state.authority.store.records,
    duplicates: state.authority.duplicates + state.baiwang.duplicates + state.nuonuo.duplicates,
    ...(await notificationCounts(system)),
    undelivered: await count(
      `SELECT count(*) AS n FROM ${sync}.deliveries WHERE status NOT IN ('accepted', 'relayed')`,
    ),
    recoveredInSeconds: Math.round((Date.now() - faultEndedAt) / 1000),
  };
}

/** Mail by Message-ID and SMS by outId (both the notification's own reference): a repeat is a second send. */
async function notificationCounts(
  system: SystemHarness,
): Promise<Pick<Tally, 'notifications' | 'duplicateNotifications'>> {
  const refs = [
    ...(await system.sandbox.mail()).map((m) => `mail:${m.messageId}`),
    ...(await system.sandbox.sms()).map((m) => `sms:${m.outId}`),
  ];
  return { notifications: refs.length, duplicateNotifications: refs.length - new Set(refs).size };
}

export function tallyTable(rows: Tally[]): string {
  const head = [
    'fault',
    'sent',
    'accepted',
    'sync ledger',
    'at authority',
    'duplicates',
    'notifications',
    'duplicate notifications',
    'undelivered',
    'recovery s',
  ];
  const body = rows.map((r) =>
    [
      r.fault,
      r.sent,
      r.accepted,
      r.syncLedger,
      r.atAuthority,
      r.duplicates,
      r.notifications,
      r.duplicateNotifications,
      r.undelivered,
      r.recoveredInSeconds,
    ].map(String),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
}
