import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ID_SOURCE, IdSource } from '@lib/common';
import { explainFinding, FindingType, SCOPE_FINDING_TYPES } from '@lib/contracts';
import { StepTimings } from '../step-timings';
import { decide } from './finding-decision.rules';
import { FindingEventsPublisher } from './finding-events.publisher';
import { FindingTransitionsRepository, TransitionRef } from './finding-transitions.repository';
import { DecisionContext, Discrepancy, FindingRow, RECONCILE_ACTOR } from './finding.model';
import { FindingsRepository, HistoryEntry, PendingDecision } from './findings.repository';
import { MergeRemediation, ReuploadRequest } from './merge-remediation.port';
import { PendingOutbox } from './pending-outbox';

export interface MergeInput extends DecisionContext {
  runId: string;
  taxNo: string;
  period: string;
  /** Types whose absence from this run means "gone" (MISSING_* only after a complete pull). */
  resolvableTypes: FindingType[];
  /** Of resolvableTypes, those that resolve only for the (type, subject) pairs in cmp_checked (a per-invoice run's checked invoices). */
  checkedSubjectTypes?: FindingType[];
}

export interface MergeResult {
  opened: number;
  changed: number;
  resolved: number;
  reuploads: number;
  backfilled: number;
}

/**
 * Turns a run's discrepancies into findings in the run's transaction: upsert by (scope, type, subject),
 * history and a finding-changed event for every transition, remediation (re-upload, back-fill, correction
 * request), and auto-resolution of what the run no longer sees. Every finding of the scope is locked first;
 * the re-upload commands and the transitions are logged page by page in transaction-local tables (Node holds one
 * page at a time), and enqueued once, as the transaction's last locking step: PostgreSQL builds the commands and
 * the events then, the events from the findings as the merge left them.
 */
@Injectable()
export class FindingsMergeService {
  constructor(
    private readonly findings: FindingsRepository,
    private readonly transitions: FindingTransitionsRepository,
    private readonly events: FindingEventsPublisher,
    private readonly timings: StepTimings,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
  ) {}

  /** Discrepancies decided per page (one read, one upsert and one history insert each). */
  pageSize = 2_000;

  /** Each part's time, summed over pages, goes to the run's timings (steps.merge). */
  private timed<T>(input: MergeInput, name: string, work: () => Promise<T>): Promise<T> {
    return this.timings.time(input.runId, 'merge', name, work);
  }

  /** `remediation`: what the run has remediation do with the merge's decisions (re-uploads, back-fill, corrections). */
  async merge(m: EntityManager, input: MergeInput, remediation: MergeRemediation): Promise<MergeResult> {
    const result: MergeResult = { opened: 0, changed: 0, resolved: 0, reuploads: 0, backfilled: 0 };
    const outbox = new PendingOutbox();
    await this.timed(input, 'lock', () => this.findings.lockScope(m, input));
    await this.transitions.start(m);
    await remediation.startReuploads(m);
    let after: [string, string] | null = null;
    for (;;) {
      const cursor: [string, string] | null = after;
      const page: PendingDecision[] = await this.timed(input, 'read', () => this.findings.discrepancies(m, input.runId, cursor, this.pageSize));
      if (page.length === 0) break;
      await this.mergePage(m, input, page, result, remediation);
      const last = page[page.length - 1].discrepancy;
      after = [last.type, last.subject];
    }
    result.backfilled = await this.timed(input, 'backfill', () => remediation.backfill(m, input.runId, input.taxNo, input.period, input.now));
    await this.timed(input, 'corrections', () => remediation.requestCorrections(m, input.runId, input.now));
    const gone = await this.timed(input, 'resolve', () =>
      this.findings.resolveGone(m, input.runId, input.taxNo, input.period, input.resolvableTypes, input.now, input.checkedSubjectTypes ?? []),
    );
    result.resolved = gone.length;
    await this.timed(input, 'resolve', () => this.explainScopeResolutions(m, gone.map((g) => g.finding), input));
    await this.findings.appendHistory(
      m,
      gone.map((g) => ({
        findingId: g.finding.id,
        fromState: g.previousState,
        toState: 'resolved',
        action: 'auto-resolve',
        actor: RECONCILE_ACTOR,
        reason: null,
        runId: input.runId,
      })),
      input.now,
    );
    await this.transitions.log(m, gone.map((g) => ({ findingId: g.finding.id, previousState: g.previousState })));
    outbox.addSql(remediation.reuploadMessages(result.reuploads, input.now));
    outbox.addSql(this.events.sqlMessages(input.taxNo, input.now));
    // Last: the outbox's bucket locks come after every row lock of the merge (docs/messaging.md).
    await this.timed(input, 'outbox', () => outbox.flush(m));
    return result;
  }

  /**
   * A scope finding (RECONCILIATION_INCOMPLETE) resolves because this run completed: its sentence says so, and when,
   * from its evidence (the generic "no longer shows this problem" names a device or an invoice, which it has not).
   */
  private async explainScopeResolutions(m: EntityManager, resolved: FindingRow[], input: MergeInput): Promise<void> {
    for (const f of resolved.filter((r) => SCOPE_FINDING_TYPES.includes(r.type))) {
      const evidence = { ...f.evidence, completedAt: input.now.toISOString(), completedByRun: input.runId };
      const explanation = explainFinding({ type: f.type, state: 'resolved', evidence, period: f.period, now: input.now }, 'zh-CN');
      await this.findings.rewriteExplanation(m, f.id, explanation, evidence);
    }
  }

  private async mergePage(
    m: EntityManager,
    input: MergeInput,
    page: PendingDecision[],
    result: MergeResult,
    remediation: MergeRemediation,
  ): Promise<void> {
    const transitions: TransitionRef[] = [];
    /** The rows as sent: evidence only what the decision adds (the facts stay in run_discrepancies, see upsert). */
    const rows: FindingRow[] = [];
    const history: HistoryEntry[] = [];
    const reuploads: ReuploadRequest[] = [];
    for (const { discrepancy: d, existing: before } of page) {
      const decision = decide(d, before, input);
      const row = toRow(d, before, decision, input, before?.id ?? this.ids.uuid());
      rows.push({ ...row, evidence: decisionEvidence(decision, input) });
      const previous = before?.state ?? null;
      if (previous !== row.state) {
        history.push({ findingId: row.id, fromState: previous, toState: row.state, action: before ? 'reconcile' : 'open', actor: RECONCILE_ACTOR, reason: null, runId: input.runId });
        transitions.push({ findingId: row.id, previousState: previous });
        if (before) result.changed += 1;
        else result.opened += 1;
      }
      if (decision.remediation === 'reupload') {
        reuploads.push({ invoiceKey: d.subject, attempt: decision.remediationAttempts, findingId: row.id, requestedBy: 'reconcile', reason: 'MISSING_IN_AUTHORITY' });
      }
    }
    await this.timed(input, 'upsert', () => this.findings.upsert(m, rows, input.runId, true));
    await this.timed(input, 'history', () => this.findings.appendHistory(m, history, input.now));
    await this.timed(input, 'commands', async () => {
      await this.transitions.log(m, transitions);
      await remediation.logReuploads(m, reuploads);
    });
    result.reuploads += reuploads.length;
  }
}

/** `id`: the finding's, or a new one for a discrepancy that has none yet. */
function toRow(d: Discrepancy, before: FindingRow | null, decision: ReturnType<typeof decide>, input: MergeInput, id: string): FindingRow {
  const f = d.facts;
  const str = (v: unknown) => (v === undefined || v === null ? null : String(v));
  const changed = !before || before.state !== decision.state || before.explanation !== decision.explanation || before.severity !== decision.severity;
  return {
    id,
    taxNo: input.taxNo,
    period: input.period,
    type: d.type,
    subject: d.subject,
    state: decision.state,
    severity: decision.severity,
    branchId: str(f.branchId) ?? before?.branchId ?? null,
    deviceId: d.deviceId ?? str(f.deviceId),
    invoiceKey: d.invoiceKey,
    invoiceType: d.invoiceKey ? str(f.invoiceType) : null,
    invoiceCode: d.invoiceKey ? str(f.code) : null,
    invoiceNumber: d.invoiceKey ? str(f.number) : null,
    explanation: decision.explanation,
    evidence: { ...f, ...decisionEvidence(decision, input) },
    remediationAttempts: decision.remediationAttempts,
    lastRemediatedAt: decision.remediated ? input.now : (before?.lastRemediatedAt ?? null),
    createdAt: before?.createdAt ?? input.now,
    updatedAt: changed ? input.now : (before?.updatedAt ?? input.now),
  };
}

/** What a decision adds to its discrepancy's facts in the finding's evidence. */
function decisionEvidence(decision: ReturnType<typeof decide>, input: MergeInput): Record<string, unknown> {
  return decision.remediationAttempts ? { reuploadAttempts: decision.remediationAttempts, maxReuploads: input.maxReuploads } : {};
}
