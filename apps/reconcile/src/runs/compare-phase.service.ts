import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FINDING_TYPES, FindingType } from '@lib/contracts';
import { filingDeadline, periodOf } from '@lib/domain';
import { CompareParams } from '../compare/compare.model';
import { CompareService, DiscrepancyCounts } from '../compare/compare.service';
import { FindingsMergeService, MergeResult } from '../findings/findings-merge.service';
import { RECONCILE_RULES, ReconcileRules } from './reconcile-rules';

export interface ComparePhaseInput {
  runId: string;
  taxNo: string;
  period: string;
  pullComplete: boolean;
  now: Date;
}

export interface ComparePhaseResult {
  discrepancies: DiscrepancyCounts;
  findings: MergeResult;
}

/** Types that need the whole pull to be judged "gone"; after an incomplete pull only device findings may resolve. */
const AUTHORITY_TYPES: readonly FindingType[] = ['MISSING_IN_AUTHORITY', 'MISSING_IN_LEDGER', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH', 'DUPLICATE_INVOICE', 'REPORT_TOTALS_MISMATCH'];
const CURRENT_ONLY: readonly FindingType[] = ['DEVICE_LOCK_IMMINENT', 'OFFLINE_LIMIT_NEAR'];

/** Compare and merge findings, in the caller's transaction. */
@Injectable()
export class ComparePhaseService {
  constructor(
    private readonly compare: CompareService,
    private readonly merge: FindingsMergeService,
    @Inject(RECONCILE_RULES) private readonly rules: ReconcileRules,
  ) {}

  async execute(m: EntityManager, input: ComparePhaseInput): Promise<ComparePhaseResult> {
    const deadline = filingDeadline(input.period);
    const currentPeriod = periodOf(input.now) === input.period;
    const params: CompareParams = {
      runId: input.runId,
      taxNo: input.taxNo,
      period: input.period,
      now: input.now,
      visibilityLagMs: this.rules.visibilityLagMs,
      pullComplete: input.pullComplete,
      filingClosesAt: deadline.closesAt,
      filingDeadline: deadline.deadline,
      currentPeriod,
      lockWithinDays: this.rules.lockWithinDays,
      offlineNearPercent: this.rules.offlineNearPercent,
    };
    const discrepancies = await this.compare.compare(m, params);
    const resolvableTypes = FINDING_TYPES.filter(
      (t) => (input.pullComplete || !AUTHORITY_TYPES.includes(t)) && (currentPeriod || !CURRENT_ONLY.includes(t)),
    );
    const findings = await this.merge.merge(m, {
      runId: input.runId,
      taxNo: input.taxNo,
      period: input.period,
      now: input.now,
      visibilityLagMs: this.rules.visibilityLagMs,
      maxReuploads: this.rules.maxReuploads,
      resolvableTypes,
    });
    return { discrepancies, findings };
  }
}
