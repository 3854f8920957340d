import { RunRow } from './run.model';

/** A run a worker holds: its writes are fenced by the worker id (RunsRepository.progress, finish). */
export type ClaimedRun = RunRow & { workerId: string };

/**
 * What executes a claimed run (the run-reconciliation use case: pull, compare, findings). The worker that claims runs
 * owns this interface and the composition binds it (RunReconciliationModule), so runs never import a use case.
 */
export interface RunExecutor {
  execute(run: ClaimedRun): Promise<void>;
}
export const RUN_EXECUTOR = Symbol('RUN_EXECUTOR');
