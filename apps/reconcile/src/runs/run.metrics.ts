import { Injectable } from '@nestjs/common';
import { counter, histogram } from '@lib/observability';

/**
 * Reconcile's runs' Prometheus metrics (served at /metrics with the process and HTTP ones; the pull's: pull/pull.metrics.ts).
 * The instruments are made with each instance; the helpers hand back the ones already registered under their names.
 */
@Injectable()
export class RunMetrics {
  private readonly runsFinished = counter('reconcile_runs_finished_total', 'Runs by final state', ['state']);
  private readonly phaseSeconds = histogram(
    'reconcile_run_phase_seconds',
    'Duration of run phases (pull, compare)',
    ['phase'],
    [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 900, 3600],
  );
  private readonly findingsChanged = counter(
    'reconcile_findings_changed_total',
    'Findings opened, changed or resolved by runs',
    ['change'],
  );

  finished(state: string, pullMs: number, compareMs: number): void {
    this.runsFinished.inc({ state });
    this.phaseSeconds.observe({ phase: 'pull' }, pullMs / 1000);
    this.phaseSeconds.observe({ phase: 'compare' }, compareMs / 1000);
  }

  findings(opened: number, changed: number, resolved: number): void {
    this.findingsChanged.inc({ change: 'opened' }, opened);
    this.findingsChanged.inc({ change: 'changed' }, changed);
    this.findingsChanged.inc({ change: 'resolved' }, resolved);
  }
}
