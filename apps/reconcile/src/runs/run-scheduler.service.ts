import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock, CLOCK } from '@lib/common';
import { filingDeadline, periodOf, periodStart, previousPeriod } from '@lib/domain';
import { ReconcileConfig } from '../reconcile.config';
import { RECONCILE_CONFIG } from '../reconcile.tokens';
import { RunsRepository } from './runs.repository';

/**
 * Queues a run for every active scope (taxpayers with invoices, device readings or active registered devices, for the
 * current and the previous period), every RECONCILE_INTERVAL_MS, and every RECONCILE_FILING_INTERVAL_MS while the
 * previous period's return is being filed. The previous period is the period in filing during its whole filing window
 * (from the 1st until its deadline, always within the month after it), so its quiet devices and its incomplete runs
 * are judged then, and after its deadline until the month ends. One replica schedules at a time (transaction advisory lock); the
 * one-active-run-per-scope index makes a double enqueue harmless anyway.
 */
@Injectable()
export class RunSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RunSchedulerService.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly runs: RunsRepository,
    @Inject(RECONCILE_CONFIG) private readonly config: ReconcileConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.RECONCILE_SCHEDULER_ENABLED) return;
    const every = Math.min(this.config.RECONCILE_INTERVAL_MS, this.config.RECONCILE_FILING_INTERVAL_MS, 60_000);
    this.timer = setInterval(() => void this.tick().catch((err: unknown) => this.logger.error({ err }, 'scheduler tick failed')), every);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Queues the scopes that are due; returns how many were queued. */
  async tick(): Promise<number> {
    const now = this.clock.now();
    const current = periodOf(now);
    const previous = previousPeriod(current);
    const filing = now >= periodStart(current) && now < filingDeadline(previous).closesAt;
    const interval = filing ? this.config.RECONCILE_FILING_INTERVAL_MS : this.config.RECONCILE_INTERVAL_MS;
    const due = await this.runs.dueScopes([current, previous], now, interval);
    for (const scope of due) await this.runs.enqueue(scope.taxNo, scope.period, 'schedule', 'scheduler', now);
    return due.length;
  }
}
