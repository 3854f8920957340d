import { Clock } from '@lib/common';
import { AuthorityListChannel } from '../../src/pull/authority-list.port';
import { PullSettings } from '../../src/pull/pull.service';
import { RunsRepository } from '../../src/runs/runs.repository';
import { ReconcileDb, TAX_NO } from './reconcile-db';
import { pullService, runUseCase } from './run-wiring';

/** Whole runs of one scope (pull, compare, merge) as the worker does them, at the clock's time; returns the run. */
export function scopeRuns(db: ReconcileDb, clock: Clock, period: string) {
  const settings: PullSettings = { pageSize: 100, minIntervalMs: 0, pageAttempts: 1, backoffMs: 0, leaseMs: 60_000 };
  return async (channels: AuthorityListChannel[]) => {
    const runs = new RunsRepository(db.dataSource, db.ids);
    const { runId } = await runs.enqueue(TAX_NO, period, 'schedule', 'scheduler', clock.now());
    const claimed = await runs.claim('worker-a', clock.now(), settings.leaseMs);
    const pull = pullService(db.dataSource, channels, settings, clock);
    await runUseCase(db.dataSource, runs, pull, db.comparePhase(), settings, clock).execute({ ...claimed!, workerId: 'worker-a' });
    return (await runs.get(runId))!;
  };
}
