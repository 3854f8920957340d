import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { addDays, filingDeadline, periodOf, startOfShanghaiDay } from '@lib/domain';
import { CompareParams } from '../compare/compare.model';
import { CompareService, DiscrepancyCounts } from '../compare/compare.service';
import { FindingsMergeService, MergeResult } from '../findings/findings-merge.service';
import { heldTypesAt } from '../maintenance/maintenance-hold.rules';
import { MaintenanceWindowsRepository } from '../maintenance/maintenance-windows.repository';
import { PullCoverage } from '../pull/pull-coverage';
import { FindingsRemediation } from '../remediation/merge-remediation';
import { QUIET_RULE_DEFAULTS, RECONCILE_RULES, ReconcileRules } from './reconcile-rules';
import { resolutionFor } from './resolution';

export interface ComparePhaseInput {
  runId: string;
  taxNo: string;
  period: string;
  pullComplete: boolean;
  /** What the pull proved (PullOutcome.coverage); by default `listed` when the pull is complete, else none. */
  coverage?: PullCoverage | null;
  /** Why the run ends incomplete (run-reconciliation's incompleteReason); by default, when the pull is not complete, unknown. */
  incompleteReason?: string | null;
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

/** How far back maintenance windows may have paused a scope's series of incomplete runs. */
const MAINTENANCE_LOOKBACK_MS = 62 * 86_400_000;

/** Compare and merge findings, in the caller's transaction. */
@Injectable()
export class ComparePhaseService {
  constructor(
    private readonly compare: CompareService,
    private readonly merge: FindingsMergeService,
    private readonly remediation: FindingsRemediation,
    private readonly maintenance: MaintenanceWindowsRepository,
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
    const rules = { ...QUIET_RULE_DEFAULTS, ...definedOf(this.rules) };
    // "N days before the deadline": from the start of that day, Asia/Shanghai (the deadline day is day 0)
    const daysBefore = (n: number) => startOfShanghaiDay(addDays(deadline.deadline, -n));
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
      quietFrom: daysBefore(rules.quietDaysBeforeDeadline),
      silentPercent: rules.silentPercent,
      incompleteReason: input.pullComplete ? null : (input.incompleteReason ?? 'the authority pull did not finish'),
      incompleteAlertAfterMs: rules.incompleteAlertAfterMs,
      incompleteNearFrom: daysBefore(rules.incompleteAlertDays),
      maintenance: await this.maintenance.spans(
        m,
        input.taxNo,
        new Date(input.now.getTime() - MAINTENANCE_LOOKBACK_MS),
        input.now,
        rules.maintenanceGraceMs,
      ),
    };
    const discrepancies = await this.compare.compare(m, params);
    const resolution = resolutionFor(coverage, currentPeriod, MERGE_LIMITS_TO_CHECKED);
    // a type a maintenance window holds was not evaluated: its findings neither open nor resolve meanwhile
    const held = heldTypesAt(params.maintenance ?? [], input.now);
    const resolvableTypes = resolution.resolvableTypes.filter((t) => !held.includes(t));
    const { checkedSubjectTypes } = resolution;
    const findings = await this.merge.merge(m, {
      runId: input.runId,
      taxNo: input.taxNo,
      period: input.period,
      now: input.now,
      visibilityLagMs: this.rules.visibilityLagMs,
      maxReuploads: this.rules.maxReuploads,
      resolvableTypes,
      checkedSubjectTypes,
    }, this.remediation);
    return { discrepancies, findings };
  }
}

/** The rules a caller set (an optional rule left undefined keeps its default). */
function definedOf(rules: ReconcileRules): Partial<ReconcileRules> {
  return Object.fromEntries(Object.entries(rules).filter(([, v]) => v !== undefined)) as Partial<ReconcileRules>;
}
