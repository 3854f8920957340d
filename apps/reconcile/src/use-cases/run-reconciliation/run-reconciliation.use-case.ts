import { Inject, Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { Clock, CLOCK, isAppError } from '@lib/common';
import { CLEAR_CARD_CROSS_CHECK, ClearCardCrossCheck } from '../../device-status/clear-card-cross-check.service';
import { incompleteReason } from '../../pull/incomplete-reason';
import { supportedFindingTypes } from '../../pull/pull-coverage';
import { PullProgress } from '../../pull/pull-progress.port';
import { PULL_SETTINGS, PullOutcome, PullService, PullSettings } from '../../pull/pull.service';
import { ComparePhaseService } from '../../runs/compare-phase.service';
import { ClaimedRun, RunExecutor } from '../../runs/run-executor.port';
import { RunMetrics } from '../../runs/run.metrics';
import { RunsRepository } from '../../runs/runs.repository';
import { StepTimings } from '../../step-timings';
import { ReconcileErrorCode } from '../../reconcile-error-codes';

/** Finished runs per scope whose staged records and discrepancies are kept (for the timeline and comparison). */
const KEEP_RUNS = 2;

/**
 * Executes one claimed run: the pull (resumable), then the comparison and the findings in one
 * transaction that also finishes the run. A pull that did not finish still compares what can be
 * compared, opens no MISSING_* finding, and ends the run `incomplete` with the reason. A per-invoice
 * pull (the authority's list unavailable) is compared by its coverage: MISSING_IN_AUTHORITY for the
 * invoices its checks found absent, mismatches on the records it found, never MISSING_IN_LEDGER; the run
 * still ends `incomplete` (invoices only the authority has went unseen), with a reason that says so.
 * Between the pull and the comparison, the authority is asked about the devices' clear-cards (network calls,
 * so outside the comparison's transaction); the comparison joins the answers (run_clear_card_checks).
 */
@Injectable()
export class RunReconciliationUseCase implements RunExecutor {
  private readonly logger = new Logger(RunReconciliationUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: RunsRepository,
    private readonly pull: PullService,
    private readonly comparePhase: ComparePhaseService,
    private readonly steps: StepTimings,
    @Inject(PULL_SETTINGS) private readonly settings: PullSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CLEAR_CARD_CROSS_CHECK) private readonly clearCards: ClearCardCrossCheck,
    private readonly metrics: RunMetrics,
  ) {}

  async execute(claimed: ClaimedRun): Promise<void> {
    const started = performance.now();
    // every page the pull stages records the run's progress with it, fenced by this worker's lease (which it renews)
    const progress: PullProgress = {
      record: (m, fields) => this.runs.progress(m, claimed, fields, this.clock.now(), this.settings.leaseMs),
    };
    try {
      const pulled: PullOutcome = claimed.pullComplete
        ? { complete: true, channel: claimed.channel ?? '', coverage: 'listed', supports: supportedFindingTypes('listed') }
        : await this.pull.pull(claimed, progress);
      const pullMs = Math.round(performance.now() - started);
      await this.clearCards.record(claimed, this.clock.now());
      const compareStarted = performance.now();
      // outside the transaction: ANALYZE holds its table lock until commit, which would serialise every scope's comparison
      await this.comparePhase.refreshStatistics(this.dataSource.manager);
      const outcome = await this.dataSource.transaction(async (m) => {
        await this.runs.lockScope(m, claimed.taxNo, claimed.period);
        await this.runs.progress(m, claimed, { phase: 'comparing' }, this.clock.now(), this.settings.leaseMs);
        const result = await this.comparePhase.execute(m, {
          runId: claimed.id,
          taxNo: claimed.taxNo,
          period: claimed.period,
          pullComplete: pulled.complete,
          coverage: pulled.coverage,
          incompleteReason: pulled.complete ? null : incompleteReason(pulled),
          now: this.clock.now(),
        });
        const compareMs = () => Math.round(performance.now() - compareStarted);
        const staged = await this.runs.stagedCount(m, claimed.id);
        await this.runs.finish(
          m,
          claimed,
          {
            state: pulled.complete ? 'completed' : 'incomplete',
            incompleteReason: pulled.complete ? null : incompleteReason(pulled),
            counts: {
              staged,
              discrepancies: result.discrepancies,
              findings: result.findings,
              // a per-invoice pull: invoices asked this run, and answers reused from earlier runs (no call made)
              ...(!pulled.complete && pulled.checks ? { checks: pulled.checks } : {}),
            },
            // steps: the comparison's and the merge's, as StepTimings recorded them for this run
            timings: { pullMs, compareMs: compareMs(), totalMs: Math.round(performance.now() - started), steps: this.steps.take(claimed.id) },
          },
          this.clock.now(),
        );
        return { state: pulled.complete ? 'completed' : 'incomplete', compareMs: compareMs(), findings: result.findings };
      });
      this.metrics.finished(outcome.state, pullMs, outcome.compareMs);
      this.metrics.findings(outcome.findings.opened, outcome.findings.changed, outcome.findings.resolved);
      await this.runs.prune(claimed.taxNo, claimed.period, KEEP_RUNS).catch((err: unknown) => this.logger.warn({ runId: claimed.id, err }, 'pruning old runs failed'));
      await this.clearCards.prune(claimed.taxNo, claimed.period, KEEP_RUNS).catch((err: unknown) => this.logger.warn({ runId: claimed.id, err }, 'pruning old clear-card checks failed'));
    } catch (error) {
      this.steps.take(claimed.id);
      if (isAppError(error) && error.code === ReconcileErrorCode.RUN_LEASE_LOST) {
        this.logger.warn({ runId: claimed.id }, 'run taken over by another worker; stopping');
        return;
      }
      this.logger.error({ runId: claimed.id, err: error }, 'run failed');
      await this.dataSource
        .transaction((m) =>
          this.runs.finish(m, claimed, { state: 'failed', error: { code: isAppError(error) ? error.code : ReconcileErrorCode.INTERNAL, message: String((error as Error)?.message ?? error) } }, this.clock.now()),
        )
        .catch(() => undefined);
    }
  }
}

