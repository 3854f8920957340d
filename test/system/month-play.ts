// Plays a MonthPlan against a running system through its public interfaces only: the gateway's device and admin
// APIs, sync's routing API, the notifier's recipients API, reconcile's reconciliation API, and the sandbox's
// control API for what happens outside (an outage, lost uploads, invoices issued elsewhere).
import type { Admin } from 'kafkajs';
import { DeviceClient, GatewayAdminClient } from '@lib/device-client';
import { requestJson, type JsonBody } from '@lib/testing';
import { playCorrections, type CorrectionsOutcome } from './corrections-play';
import { ROBOT_CHANNELS, type Device } from './enterprise';
import type { MonthPlan } from './month-plan';
import { waitQuiet } from './quiescence';
import { playReceived } from './received-play';
import type { SystemHarness } from './system-harness';

export interface Progress {
  step(title: string): void;
  bar(label: string, done: number, total: number): void;
  /** Something worth a line of its own. */
  note(text: string): void;
  /** What is still moving, redrawn in place (terminals only). */
  status(text: string): void;
}

export const silentProgress: Progress = {
  step: () => undefined,
  bar: () => undefined,
  note: () => undefined,
  status: () => undefined,
};

export interface RunView {
  runId: string;
  taxNo: string;
  period: string;
  state: string;
  counts: Record<string, number>;
  incompleteReason?: string | null;
}

export interface RemoteOpView {
  deviceId: string;
  period: string;
  state: string;
  lastErrorCode: string | null;
}

export interface PlayResult {
  runs1: RunView[];
  runs2: RunView[];
  /** The runs of the scope reconciled while the authority was down near the deadline, then after it came back. */
  outageRuns: RunView[];
  /** Sync's remote 抄报/清卡 of the hosted devices for the period being filed (none outside a filing window). */
  remoteOps: RemoteOpView[];
  /** The two red-letter corrections, played between the runs (corrections-play.ts). */
  corrections: CorrectionsOutcome;
  timings: Record<string, number>;
  rejectedItems: { device: string; eventId: string | null; errors: unknown }[];
}

const BATCH = 200;
/** The longest the planned authority outage may stretch while waiting for the failover to carry an invoice. */
const MAX_OUTAGE_MS = 120_000;

export class MonthPlayer {
  private readonly timings: Record<string, number> = {};
  private readonly rejected: PlayResult['rejectedItems'] = [];

  constructor(
    private readonly system: SystemHarness,
    private readonly plan: MonthPlan,
    private readonly admin: Admin,
    private readonly progress: Progress = silentProgress,
    private readonly options: {
      concurrency?: number;
      reconcileLagMs: number;
      /** How long alerts take to be due: the digest window, and escalation when the scenario shows it. */
      alertWaitMs: number;
      settleTimeoutMs?: number;
    } = { reconcileLagMs: 5_000, alertWaitMs: 12_000 },
  ) {}

  async play(): Promise<PlayResult> {
    await this.timed('setup', () => this.setUp());
    await this.timed('ingest', () => this.ingest());
    await this.timed('delivery', () => this.settle('Delivering to the authority, Baiwang and Nuonuo'));
    // The authority's glitch is over; what it lost meanwhile stays lost until somebody notices and re-uploads.
    await this.system.sandbox.clearFaults('authority');
    await this.pause(this.options.reconcileLagMs + 1_000, 'Waiting out the visibility lag');
    const remoteOps = await this.timed('remoteOps', () => this.waitRemoteOps());
    const { inFiling } = this.plan;
    const runs1 = await this.timed('reconcile1', () =>
      this.reconcileAll([this.plan.period, ...(inFiling ? [inFiling] : []), this.plan.pastPeriod]),
    );
    const outageRuns = await this.timed('outageNearDeadline', () => this.outageNearDeadline());
    // While reconcile's re-uploads settle, finance managers decide the proposed corrections and the forms run their course.
    const [, corrections] = await Promise.all([
      this.timed('remediation', () => this.remediate()),
      this.timed('corrections', () => this.correct()),
    ]);
    const runs2 = await this.timed('reconcile2', () => this.reconcileAll([this.plan.period]));
    await this.timed('notify', async () => {
      await this.pause(this.options.alertWaitMs, 'Waiting for digests and escalations to fall due');
      await this.settle('Sending the alerts', true);
    });
    return {
      runs1,
      runs2,
      outageRuns,
      remoteOps,
      corrections,
      timings: this.timings,
      rejectedItems: this.rejected,
    };
  }

  private async setUp(): Promise<void> {
    const { enterprise } = this.plan;
    this.progress.step(
      `Registering ${enterprise.devices.length} devices of ${enterprise.branches.length} branches`,
    );
    const gateway = new GatewayAdminClient(
      this.system.urls['device-gateway'],
      this.system.secrets.gatewayAdminToken,
    );
    let registered = 0;
    await this.parallel(enterprise.devices, async (device) => {
      const created = await gateway.mustRegister({
        taxNo: device.branch.taxpayer.taxNo,
        branchId: device.branch.branchId,
        name: device.name,
        deviceNo: device.deviceNo ?? null,
        activatedOn: this.plan.activatedOn,
      });
      device.deviceId = created.deviceId;
      device.secret = created.secret;
      if (device.hostedOn) {
        const hosted = await gateway.setHosting(created.deviceId, device.hostedOn);
        if (hosted.status !== 200)
          throw new Error(`hosting refused: ${hosted.status} ${JSON.stringify(hosted.body)}`);
      }
      this.progress.bar('devices', ++registered, enterprise.devices.length);
    });
    const hosted = enterprise.devices.filter((d) => d.hostedOn === 'baiwang');
    this.progress.step(
      `At Baiwang: ${hosted.length} hosted devices (one holding offline invoices it has not uploaded)`,
    );
    await this.system.sandbox.hostBaiwangDevices(
      hosted.map((d) => ({
        taxNo: d.branch.taxpayer.taxNo,
        machineNo: d.deviceNo!,
        offlinePending: d.offlinePending ?? 0,
      })),
    );
    // They were cleared for the closed period in its window, before the system watched them: the authority knows.
    const { clearCard } = this.plan.deviceEvents.get(this.plan.extras.hosted.index)!;
    await this.system.sandbox.seedClearCards(
      hosted.map((d) => ({
        taxNo: d.branch.taxpayer.taxNo,
        deviceNo: d.deviceNo!,
        period: this.plan.pastPeriod,
        status: 'CLEARED' as const,
        clearedAt: clearCard!.at as string,
      })),
    );
    this.progress.step('Routing taxpayers to their platforms; registering finance staff and alert rules');
    for (const t of enterprise.taxpayers) {
      await this.call('sync', 'PUT', `/v1/routing/${t.taxNo}`, {
        platforms: t.platforms,
        allowFailover: t.allowFailover,
      });
    }
    for (const r of enterprise.recipients) await this.call('notifier', 'POST', '/v1/recipients', r);
    // The enterprise's own choice: 抄报 differences are reviewed once a day in a digest, not one email each.
    await this.call('notifier', 'POST', '/v1/rules', {
      findingType: 'REPORT_TOTALS_MISMATCH',
      minSeverity: 'warning',
      channels: ['email'],
      mode: 'digest',
      priority: 10,
    });
    // A card not cleared after the deadline is told in the branch's group chat as well.
    await this.call('notifier', 'POST', '/v1/rules', {
      findingType: 'CLEAR_CARD_OVERDUE',
      minSeverity: 'info',
      channels: ['email', 'sms', ...ROBOT_CHANNELS],
      level: 1,
      mode: 'immediate',
      priority: 20,
    });
    this.progress.step(
      'Outside our system: invoices issued on the tax bureau portal; an upload the authority will lose',
    );
    await this.system.sandbox.seedAuthorityRecords([
      { invoice: this.plan.mismatch.authorityInvoice, visible: true },
      { invoice: this.plan.rejectedMismatch.authorityInvoice, visible: true },
      { invoice: this.plan.fullWidthBuyer.authorityInvoice, visible: true },
      ...this.plan.authorityOnly.map((invoice) => ({ invoice, visible: true })),
    ]);
    await this.system.sandbox.setFaults('authority', this.lostUploads());
    this.progress.step(
      'A branch registers two invoices a supplier issued to it, and has them checked (查验)',
    );
    await playReceived(
      this.plan.received,
      this.system.sandbox,
      (body) => this.call('reconcile', 'POST', '/v1/received-invoices/batch', body),
      (body) => this.call('reconcile', 'POST', '/v1/received-invoices/checks', body),
    );
  }

  private async ingest(): Promise<void> {
    const { enterprise, pastItems, items, deviceEvents, scale } = this.plan;
    this.progress.step(
      `Last period (${this.plan.pastPeriod}): late invoices, clear-card and 抄报 of every device`,
    );
    await this.sendAll(pastItems, 'last period');
    await this.parallel(enterprise.devices, async (device) => {
      const events = deviceEvents.get(device.index)!;
      if (events.clearCard) await this.expectAccepted(this.client(device).postClearCard(events.clearCard));
      if (events.report) await this.expectAccepted(this.client(device).postReport(events.report));
      // the period being filed: 抄报 then 清卡, early in its window
      if (events.filingReport) await this.expectAccepted(this.client(device).postReport(events.filingReport));
      if (events.filingClearCard)
        await this.expectAccepted(this.client(device).postClearCard(events.filingClearCard));
    });
    const half = new Map([...items].map(([k, v]) => [k, v.slice(0, Math.ceil(v.length / 2))]));
    const rest = new Map([...items].map(([k, v]) => [k, v.slice(Math.ceil(v.length / 2))]));
    this.progress.step(
      `This month (${this.plan.period}): ${this.plan.counts.issued} invoices, ${this.plan.counts.red} red, ${this.plan.counts.voided} voided`,
    );
    await this.sendAll(half, 'first half');
    this.progress.note(`the authority goes down for ${Math.round(scale.outageMs / 1000)} s or more`);
    const outageStarted = Date.now();
    await this.system.sandbox.setFaults('authority', {
      ...this.lostUploads(),
      outage: { durationMs: MAX_OUTAGE_MS, retryAfterSeconds: 2 },
    });
    await this.sendAll(rest, 'second half');
    await this.parallel(enterprise.devices, async (device) => {
      const { monitor } = deviceEvents.get(device.index)!;
      if (monitor) await this.expectAccepted(this.client(device).postMonitor(monitor));
    });
    await this.endOutage(outageStarted);
  }

  /**
   * The outage lasts its planned time, and on a slow machine until the failover has carried something: the month
   * promises invoices relayed through a platform while the authority was down, whatever the load.
   */
  private async endOutage(startedAt: number): Promise<void> {
    const relayed = () =>
      this.system.metric('sync', 'sync_deliveries_finished_total', {
        target: 'authority',
        status: 'relayed',
      });
    const deadline = startedAt + MAX_OUTAGE_MS;
    while (
      Date.now() < deadline &&
      (Date.now() - startedAt < this.plan.scale.outageMs || (await relayed()) === 0)
    )
      await new Promise((r) => setTimeout(r, 250));
    await this.system.sandbox.setFaults('authority', this.lostUploads());
  }

  /**
   * In a filing window the product reports and clears the hosted devices itself (sync's scheduler, every few seconds
   * in the scenario): wait until each has an outcome for the period being filed, and for the events it recorded.
   */
  private async waitRemoteOps(): Promise<RemoteOpView[]> {
    const { inFiling, enterprise } = this.plan;
    if (!inFiling) return [];
    const hosted = enterprise.devices.filter((d) => d.hostedOn);
    this.progress.step(`Baiwang's hosted devices: the product runs their 抄报 and 清卡 for ${inFiling}`);
    const deadline = Date.now() + 180_000;
    for (;;) {
      const page = (await this.call('sync', 'GET', `/v1/remote-ops?period=${inFiling}&limit=200`)) as {
        items: RemoteOpView[];
      };
      const mine = page.items.filter((i) => hosted.some((d) => d.deviceId === i.deviceId));
      const settled = mine.filter((i) => i.state === 'cleared' || (i.state === 'failed' && i.lastErrorCode));
      this.progress.status(`remote operations settled: ${settled.length} of ${hosted.length}`);
      if (settled.length === hosted.length) {
        await this.settle('Recording the outcomes as device events');
        return mine;
      }
      if (Date.now() > deadline)
        throw new Error(`remote operations did not settle: ${JSON.stringify(page.items)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /**
   * Within two days of the filing deadline the authority goes down for six hours: the scope reconciled meanwhile ends
   * incomplete and finance managers are told it cannot be reconciled; when it is back, the next run completes and the
   * finding resolves itself.
   */
  private async outageNearDeadline(): Promise<RunView[]> {
    const outage = this.plan.outageNearDeadline;
    if (!outage) return [];
    this.progress.step(
      `The authority goes down for 6 hours, ${outage.period}'s deadline two days away or less`,
    );
    await this.system.sandbox.setFaults('authority', {
      ...this.lostUploads(),
      outage: { durationMs: outage.durationMs, retryAfterSeconds: 60 },
    });
    const scope = { taxNo: outage.taxNo, period: outage.period };
    const during = await this.runScope(scope);
    await this.settle('Publishing the cannot-reconcile finding', true);
    await this.system.sandbox.setFaults('authority', this.lostUploads());
    this.progress.step('The authority is back: the scope is reconciled again');
    const after = await this.runScope(scope);
    await this.settle('Publishing findings', true);
    return [during, after];
  }

  private async runScope(scope: { taxNo: string; period: string }): Promise<RunView> {
    const { runId } = (await this.call('reconcile', 'POST', '/v1/reconciliations', scope)) as {
      runId: string;
    };
    return this.waitRun(runId);
  }

  private async remediate(): Promise<void> {
    await this.settle('Reconcile asked sync to re-upload what the authority lost; re-uploading');
    await this.pause(this.options.reconcileLagMs + 1_000, 'Waiting out the visibility lag');
  }

  private async correct(): Promise<CorrectionsOutcome> {
    this.progress.step(
      'Red-letter corrections: two finance managers decide; the buyer confirms one form and rejects the other',
    );
    return playCorrections(this.system, this.plan.corrections);
  }

  private async reconcileAll(periods: string[]): Promise<RunView[]> {
    const scopes = this.plan.enterprise.taxpayers.flatMap((t) =>
      periods.map((period) => ({ taxNo: t.taxNo, period })),
    );
    this.progress.step(`Reconciling ${scopes.length} scopes (taxpayer × period) against the authority`);
    const runs: RunView[] = [];
    for (const scope of scopes) {
      runs.push(await this.runScope(scope));
      this.progress.bar('scopes', runs.length, scopes.length);
    }
    await this.settle('Publishing findings', true);
    return runs;
  }

  private async waitRun(runId: string): Promise<RunView> {
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      const run = (await this.call('reconcile', 'GET', `/v1/reconciliations/${runId}`)) as RunView;
      if (!['queued', 'running'].includes(run.state)) return { ...run, runId };
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`reconciliation ${runId} did not finish`);
  }

  private lostUploads() {
    return { neverVisible: { invoiceKeys: this.plan.neverVisibleKeys } };
  }

  private async sendAll(perDevice: Map<number, unknown[]>, label: string): Promise<void> {
    const total = [...perDevice.values()].reduce((n, v) => n + v.length, 0);
    let sent = 0;
    await this.parallel(this.plan.enterprise.devices, async (device) => {
      const items = perDevice.get(device.index) ?? [];
      for (let i = 0; i < items.length; i += BATCH) {
        const chunk = items.slice(i, i + BATCH);
        const response = await this.client(device).postInvoices(chunk);
        if (response.status !== 200)
          throw new Error(`ingest failed: ${response.status} ${JSON.stringify(response.body)}`);
        for (const r of response.body.results.filter((x) => x.status === 'rejected'))
          this.rejected.push({ device: device.deviceId!, eventId: r.eventId, errors: r.errors });
        sent += chunk.length;
        this.progress.bar(label, sent, total);
      }
    });
  }

  private async settle(title: string, includeNotifier = false): Promise<void> {
    this.progress.step(title);
    await waitQuiet(this.system, this.admin, {
      timeoutMs: this.options.settleTimeoutMs ?? 600_000,
      ignoreNotifier: !includeNotifier,
      onTick: (s) =>
        this.progress.status(
          `outbox ${s.outbox} · groups joining ${s.groupsNotStable} · kafka lag ${s.consumerLag} · deliveries open ${s.syncBacklog} (waiting ${s.syncWaiting}) · alerts due ${s.notifierDue}`,
        ),
    });
  }

  private async pause(ms: number, title: string): Promise<void> {
    this.progress.step(`${title} (${Math.round(ms / 1000)} s)`);
    await new Promise((r) => setTimeout(r, ms));
  }

  private client(device: Device): DeviceClient {
    return new DeviceClient({
      baseUrl: this.system.urls['device-gateway'],
      deviceId: device.deviceId!,
      secret: device.secret!,
      // A device's clock is the world's: the system may be playing another date.
      now: () => this.system.clock.now().getTime(),
    });
  }

  private async expectAccepted(call: Promise<{ status: number; body: unknown }>): Promise<void> {
    const response = await call;
    if (response.status !== 202 && response.status !== 200)
      throw new Error(`device event refused: ${response.status} ${JSON.stringify(response.body)}`);
  }

  private async call(
    service: 'sync' | 'notifier' | 'reconcile',
    method: string,
    path: string,
    body?: unknown,
  ): Promise<JsonBody> {
    const token = {
      sync: this.system.secrets.syncAdminToken,
      notifier: this.system.secrets.notifierAdminToken,
      reconcile: this.system.secrets.reconcileApiToken,
    }[service];
    const response = await requestJson(this.system.urls[service], method, path, body, token);
    if (response.status >= 300)
      throw new Error(`${service} ${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  private async parallel<T>(list: T[], work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const lanes = Array.from({ length: Math.min(this.options.concurrency ?? 8, list.length) }, async () => {
      while (next < list.length) await work(list[next++]);
    });
    await Promise.all(lanes);
  }

  private async timed<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await work();
    } finally {
      this.timings[name] = Date.now() - started;
    }
  }
}
