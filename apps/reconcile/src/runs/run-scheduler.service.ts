import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '@lib/common';
import { filingDeadline, periodOf, periodStart, previousPeriod } from '@lib/domain';
import { ADVISORY_LOCK_CLASSES } from '@lib/persistence';
import { ReconcileConfig } from '../reconcile.config';
import { RECONCILE_CONFIG } from '../reconcile.tokens';
import { RunsRepository } from './runs.repository';

const SCHEDULER_LOCK_CLASS = ADVISORY_LOCK_CLASSES.reconcileScheduler;

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
    private readonly dataSource: DataSource,
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
    const due = await this.dataSource.transaction(async (m) => {
      const [lock] = (await m.query('SELECT pg_try_advisory_xact_lock($1::int, 0) AS ok', [SCHEDULER_LOCK_CLASS])) as { ok: boolean }[];
      if (!lock?.ok) return [];
      return (await m.query(
        `WITH scopes AS (
           SELECT DISTINCT tax_no, period FROM ledger_invoices WHERE period = ANY($1::text[]) AND source = 'ledger'
           UNION SELECT DISTINCT tax_no, p FROM device_monitors CROSS JOIN unnest($1::text[]) p
           UNION SELECT DISTINCT tax_no, p FROM device_registry CROSS JOIN unnest($1::text[]) p WHERE status = 'active')
         SELECT s.tax_no, s.period FROM scopes s
          WHERE NOT EXISTS (SELECT 1 FROM reconcile_runs r WHERE r.tax_no = s.tax_no AND r.period = s.period
                              AND r.created_at > $2::timestamptz - ($3::int * interval '1 millisecond'))`,
        [[current, previous], now, interval],
      )) as { tax_no: string; period: string }[];
    });
    for (const scope of due) await this.runs.enqueue(scope.tax_no, scope.period, 'schedule', 'scheduler', now);
    return due.length;
  }
}
