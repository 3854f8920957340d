import { counter, histogram } from '@lib/observability';

const finished = counter('reconcile_runs_finished_total', 'Runs by final state', ['state']);
const phaseSeconds = histogram('reconcile_run_phase_seconds', 'Duration of run phases (pull, compare)', ['phase'], [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 900, 3600]);
const findingsChanged = counter('reconcile_findings_changed_total', 'Findings opened, changed or resolved by runs', ['change']);

/** Reconcile's runs' Prometheus metrics (served at /metrics with the process and HTTP ones; the pull's: pull/pull.metrics.ts). */
export const runMetrics = {
  finished(state: string, pullMs: number, compareMs: number): void {
    finished.inc({ state });
    phaseSeconds.observe({ phase: 'pull' }, pullMs / 1000);
    phaseSeconds.observe({ phase: 'compare' }, compareMs / 1000);
  },
  findings(opened: number, changed: number, resolved: number): void {
    findingsChanged.inc({ change: 'opened' }, opened);
    findingsChanged.inc({ change: 'changed' }, changed);
    findingsChanged.inc({ change: 'resolved' }, resolved);
  },
};
