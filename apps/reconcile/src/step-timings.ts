import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';

/** Milliseconds per step of a run's phases (`compare`, `merge`), each step summed over its repeats. */
export type RunStepTimings = Record<string, Record<string, number>>;

/**
 * Where the comparison and the findings merge time their steps, per run; the run takes them when it finishes and
 * records them with its timings (`reconcile_runs.timings.steps`), which is where the benchmark and an operator read them.
 */
@Injectable()
export class StepTimings {
  private readonly byRun = new Map<string, RunStepTimings>();

  async time<T>(runId: string, phase: string, step: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      const phases = this.byRun.get(runId) ?? {};
      this.byRun.set(runId, phases);
      const steps = (phases[phase] ??= {});
      steps[step] = (steps[step] ?? 0) + Math.round(performance.now() - started);
    }
  }

  /** The run's steps timed so far, forgotten here (a run takes them once, when it ends, however it ends). */
  take(runId: string): RunStepTimings {
    const taken = this.byRun.get(runId) ?? {};
    this.byRun.delete(runId);
    return taken;
  }
}
