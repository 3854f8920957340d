import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { filingDeadline, periodOf } from '@lib/domain';
import { CompareParams } from '../compare/compare.model';
import { CompareService, DiscrepancyCounts } from '../compare/compare.service';
import { FindingsMergeService, MergeResult } from '../findings/findings-merge.service';
import { PullCoverage } from '../pull/pull-coverage';
import { RECONCILE_RULES, ReconcileRules } from './reconcile-rules';
import { resolutionFor } from './resolution';

export interface ComparePhaseInput {
  runId: string;
  taxNo: string;
  period: string;
  pullComplete: boolean;
  /** What the pull proved (PullOutcome.coverage); by default `listed` when the pull is complete, else none. */
  coverage?: PullCoverage | null;
  now: Date;
}

export interface ComparePhaseResult {
  discrepancies: DiscrepancyCounts;
  findings: MergeResult;
}

/**
 * The findings merge limits auto-resolution of `checkedSubjectTypes` to the subjects in `cmp_checked` (the invoices
 * a per-invoice run checked), so a per-invoice run may resolve what it actually saw gone (resolution.ts).
 */
const MERGE_LIMITS_TO_CHECKED = true;

/** Compare and merge findings, in the caller's transaction. */
@Injectable()
export class ComparePhaseService {
  constructor(
    private readonly compare: CompareService,
    private readonly merge: FindingsMergeService,
    @Inject(RECONCILE_RULES) private readonly rules: ReconcileRules,
  ) {}

  /** Fresh planner statistics for what the pull staged; call outside the comparison's transaction (see CompareService). */
  async refreshStatistics(m: EntityManager): Promise<void> {
    await this.compare.refreshStatistics(m);
  }

  async execute(m: EntityManager, input: ComparePhaseInput): Promise<ComparePhaseResult> {
    const deadline = filingDeadline(input.period);
    const currentPeriod = periodOf(input.now) === input.period;
    const coverage: PullCoverage | null = input.pullComplete ? 'listed' : (input.coverage === 'per-invoice' ? 'per-invoice' : null);
    const params: CompareParams = {
      runId: input.runId,
      taxNo: input.taxNo,
      period: input.period,
      now: input.now,
      visibilityLagMs: this.rules.visibilityLagMs,
      pullComplete: input.pullComplete,
      coverage,
      filingClosesAt: deadline.closesAt,
      filingDeadline: deadline.deadline,
      currentPeriod,
      lockWithinDays: this.rules.lockWithinDays,
      offlineNearPercent: this.rules.offlineNearPercent,
    };
    const discrepancies = await this.compare.compare(m, params);
    const { resolvableTypes, checkedSubjectTypes } = resolutionFor(coverage, currentPeriod, MERGE_LIMITS_TO_CHECKED);
    const findings = await this.merge.merge(m, {
      runId: input.runId,
      taxNo: input.taxNo,
      period: input.period,
      now: input.now,
      visibilityLagMs: this.rules.visibilityLagMs,
      maxReuploads: this.rules.maxReuploads,
      resolvableTypes,
      checkedSubjectTypes,
    });
    return { discrepancies, findings };
  }
}
