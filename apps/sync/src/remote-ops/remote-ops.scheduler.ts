import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, Clock, sleep } from '@lib/common';
import { SyncConfig } from '../sync.config';
import { SYNC_CONFIG } from '../sync.tokens';
import { RemoteOpJobsRepository } from './remote-op-jobs.repository';
import { RemoteOpsMetrics } from './remote-ops.metrics';
import { openFilingWindow } from './remote-ops.policy';
import { RemoteOpsRunner } from './remote-ops.runner';

export interface TickSummary {
  /** The period in filing, null when no filing window is open (nothing is planned or run). */
  period: string | null;
  planned: number;
  ran: number;
}

/**
 * Every SYNC_REMOTE_OPS_INTERVAL_MS: inside the open filing window, creates the jobs of the eligible hosted devices and
 * runs the due ones, SYNC_REMOTE_OPS_CONCURRENCY at a time. Any number of replicas may tick at once: planning is an
 * insert that ignores existing jobs, and claims skip rows another replica holds.
 */
@Injectable()
export class RemoteOpsScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RemoteOpsScheduler');
  private readonly stopSignal = new AbortController();
  private loop?: Promise<void>;

  constructor(
    @Inject(SYNC_CONFIG) private readonly config: SyncConfig,
    private readonly jobs: RemoteOpJobsRepository,
    private readonly runner: RemoteOpsRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: RemoteOpsMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SYNC_REMOTE_OPS_INTERVAL_MS === 0) return;
    this.loop = this.runLoop(this.config.SYNC_REMOTE_OPS_INTERVAL_MS);
    this.logger.log(`remote operations scheduler every ${this.config.SYNC_REMOTE_OPS_INTERVAL_MS} ms`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopSignal.abort();
    await this.loop;
  }

  /** One round: plan the open period's jobs, then run every job due now once. */
  async tick(): Promise<TickSummary> {
    const started = this.clock.now();
    const window = openFilingWindow(started);
    if (!window) return { period: null, planned: 0, ran: 0 };
    const planned = await this.jobs.plan(window.period, started);
    const seen: string[] = [];
    const leaseMs = Math.max(this.config.SYNC_REMOTE_OPS_LEASE_MS, 4 * this.config.SYNC_REMOTE_OPS_CALL_TIMEOUT_MS);
    while (!this.stopSignal.signal.aborted) {
      const now = this.clock.now();
      if (openFilingWindow(now)?.period !== window.period) break;
      const claimed = await this.jobs.claimDue(window.period, now, this.config.SYNC_REMOTE_OPS_CONCURRENCY, leaseMs, seen);
      if (claimed.length === 0) break;
      seen.push(...claimed.map((job) => job.id));
      await Promise.all(
        claimed.map((job) =>
          this.runner.run(job).catch((error: unknown) => {
            // the claim's lease ends by itself; the next claim asks the platform first
            this.logger.error({ err: error, deviceId: job.deviceId, period: job.period }, 'remote operation run failed');
          }),
        ),
      );
    }
    this.metrics.jobs(await this.jobs.countByState(window.period));
    if (planned > 0 || seen.length > 0)
      this.logger.log({ period: window.period, planned, ran: seen.length }, 'remote operations tick');
    return { period: window.period, planned, ran: seen.length };
  }

  private async runLoop(intervalMs: number): Promise<void> {
    while (!this.stopSignal.signal.aborted) {
      try {
        await this.tick();
      } catch (error) {
        this.logger.warn({ err: error }, 'remote operations tick failed; trying again next interval');
      }
      await sleep(intervalMs, this.stopSignal.signal);
    }
  }
}
