import { DeviceClient, GatewayAdminClient, SampleInvoices } from '@lib/device-client';
import { requestJson } from '@lib/testing';
import { buildEnterprise } from '../../test/system/enterprise';
import type { SystemHarness } from '../../test/system/system-harness';

interface LoadDevice {
  client: DeviceClient;
  invoices: SampleInvoices;
  busy: boolean;
}

/** What the load did since the last `drain()`: answers, latencies, invoices taken. */
export interface LoadTally {
  requests: number;
  accepted: number;
  notAccepted: number;
  failedRequests: number;
  latenciesMs: number[];
  /** Batches that were due while every device still waited for an answer (the schedule slipped). */
  lateBatches: number;
}

const emptyTally = (): LoadTally => ({
  requests: 0,
  accepted: 0,
  notAccepted: 0,
  failedRequests: 0,
  latenciesMs: [],
  lateBatches: 0,
});

/**
 * Devices of a small enterprise (3 taxpayers: one also on Baiwang, one on Nuonuo, one at the authority only) sending
 * signed batches on a fixed schedule: `rate` invoices/s whatever the gateway's answers take (open loop), each device
 * one batch at a time as a real device does. A batch due while every device waits is sent as soon as one is free and
 * counted late; the ingest throughput then falls behind the rate, which the verdict sees.
 */
export class PacedLoad {
  private tally = emptyTally();
  private timer?: NodeJS.Timeout;
  private startedAt = 0;
  private batchesIssued = 0;
  private next = 0;
  private readonly inFlight = new Set<Promise<void>>();

  private constructor(
    private readonly devices: LoadDevice[],
    private readonly rate: number,
    private readonly batchSize: number,
  ) {}

  /** Registers 9 devices at the gateway and each taxpayer's routing at sync. */
  static async register(system: SystemHarness, rate: number, batchSize: number): Promise<PacedLoad> {
    const enterprise = buildEnterprise({ taxpayers: 3, branches: 3, devicesPerBranch: 3 });
    const admin = new GatewayAdminClient(system.urls['device-gateway'], system.secrets.gatewayAdminToken);
    const issuedAt = new Date(system.clock.now().getTime() - 3_600_000);
    const devices: LoadDevice[] = [];
    for (const device of enterprise.devices) {
      const taxNo = device.branch.taxpayer.taxNo;
      const created = await admin.mustRegister({
        taxNo,
        branchId: device.branch.branchId,
        name: device.name,
      });
      devices.push({
        client: new DeviceClient({
          baseUrl: system.urls['device-gateway'],
          deviceId: created.deviceId,
          secret: created.secret,
          timeoutMs: 30_000,
        }),
        invoices: new SampleInvoices({ sellerTaxNo: taxNo, series: device.index + 1, issuedAt }),
        busy: false,
      });
    }
    for (const t of enterprise.taxpayers) {
      const r = await requestJson(
        system.urls.sync,
        'PUT',
        `/v1/routing/${t.taxNo}`,
        { platforms: t.platforms, allowFailover: t.allowFailover },
        system.secrets.syncAdminToken,
      );
      if (r.status !== 200) throw new Error(`sync refused the routing of ${t.taxNo}: ${r.status}`);
    }
    return new PacedLoad(devices, rate, batchSize);
  }

  start(): void {
    this.startedAt = performance.now();
    this.timer = setInterval(() => this.tick(), 20);
  }

  /** Stops issuing batches and waits for the answers still outstanding. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.inFlight]);
  }

  /** The tally since the previous call, and a fresh one from now on. */
  drain(): LoadTally {
    const tally = this.tally;
    this.tally = emptyTally();
    return tally;
  }

  private tick(): void {
    const due = Math.floor(((performance.now() - this.startedAt) / 1000) * (this.rate / this.batchSize));
    while (this.batchesIssued < due) {
      const device = this.freeDevice();
      if (!device) {
        this.tally.lateBatches += due - this.batchesIssued;
        // Late batches are not sent twice: the schedule moves on and the ingest rate shows the shortfall.
        this.batchesIssued = due;
        return;
      }
      this.batchesIssued++;
      const sending = this.send(device).finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
  }

  private freeDevice(): LoadDevice | undefined {
    for (let i = 0; i < this.devices.length; i++) {
      const device = this.devices[(this.next + i) % this.devices.length];
      if (!device.busy) {
        this.next = (this.next + i + 1) % this.devices.length;
        return device;
      }
    }
    return undefined;
  }

  private async send(device: LoadDevice): Promise<void> {
    device.busy = true;
    const batch = device.invoices.batch(this.batchSize);
    const started = performance.now();
    try {
      const response = await device.client.postInvoices(batch);
      this.tally.latenciesMs.push(performance.now() - started);
      this.tally.requests++;
      if (response.status !== 200) {
        this.tally.failedRequests++;
        this.tally.notAccepted += batch.length;
        return;
      }
      const accepted = response.body.results.filter((r) => r.status === 'accepted').length;
      this.tally.accepted += accepted;
      this.tally.notAccepted += batch.length - accepted;
    } catch {
      this.tally.latenciesMs.push(performance.now() - started);
      this.tally.requests++;
      this.tally.failedRequests++;
      this.tally.notAccepted += batch.length;
    } finally {
      device.busy = false;
    }
  }
}
