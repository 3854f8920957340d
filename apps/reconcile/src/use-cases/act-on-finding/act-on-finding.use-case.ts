import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, Clock, CLOCK } from '@lib/common';
import { FindingAction, FindingState } from '@lib/contracts';
import { Actor, actorOf, AuditLog, Principal } from '@lib/platform';
import { FindingEventsPublisher } from '../../findings/finding-events.publisher';
import { FindingRow } from '../../findings/finding.model';
import { findingView } from '../../findings/finding.view';
import { FindingsQueryRepository } from '../../findings/findings-query.repository';
import { FindingsRepository } from '../../findings/findings.repository';
import { PendingOutbox } from '../../findings/pending-outbox';
import { LedgerProjectionRepository } from '../../projections/ledger-projection.repository';
import { ReuploadPublisher } from '../../remediation/reupload.publisher';
import { RunsRepository } from '../../runs/runs.repository';
import { findingNotFound } from '../get-finding/get-finding.use-case';
import { ReconcileErrorCode } from '../../reconcile-error-codes';

const CLOSED: readonly FindingState[] = ['resolved', 'ignored'];
/** Findings a received invoice's 查验 raises: no run looks at them again, the next check of the invoice does. */
const CHECKED_NOT_RUN: readonly string[] = ['RECEIVED_INVOICE_INVALID', 'RECEIVED_INVOICE_VOIDED'];

/**
 * A person acts on a finding: `resolve` (for a back-filled invoice: confirms it), `ignore`, or `retry`
 * (re-upload now for MISSING_IN_AUTHORITY; a new run of the scope otherwise). Every action is recorded
 * in the history and in the audit log with who (a person or a service account) and why, and a state change is announced
 * like any other. A finding outside the caller's branches is not found, exactly as an unknown id, before anything changes.
 * The transaction locks the finding, writes, and enqueues its messages (re-upload command, then finding event) once, at its end.
 */
@Injectable()
export class ActOnFindingUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly query: FindingsQueryRepository,
    private readonly findings: FindingsRepository,
    private readonly events: FindingEventsPublisher,
    private readonly reuploads: ReuploadPublisher,
    private readonly runs: RunsRepository,
    private readonly ledger: LedgerProjectionRepository,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(id: string, action: FindingAction, principal: Principal) {
    const actor = actorOf(principal);
    const now = this.clock.now();
    let enqueueRun: FindingRow | null = null;
    const result = await this.dataSource.transaction(async (m) => {
      const before = await this.query.get(m, id, principal.scope, true);
      if (!before) throw findingNotFound(id);
      const outbox = new PendingOutbox();
      const after = await this.apply(m, before, action, actor, now, outbox);
      if (action.action === 'retry' && before.type !== 'MISSING_IN_AUTHORITY') enqueueRun = before;
      await this.findings.appendHistory(
        m,
        [{ findingId: id, fromState: before.state, toState: after.state, action: action.action, actor, reason: action.reason, runId: null }],
        now,
      );
      await this.audit.record(m, {
        at: now,
        actor,
        action: `finding.${action.action}`,
        targetType: 'finding',
        targetId: id,
        taxNo: before.taxNo,
        branchId: before.branchId,
        reason: action.reason,
        detail: { type: before.type, period: before.period, fromState: before.state, toState: after.state },
      });
      if (after.state !== before.state) outbox.add(this.events.messages([{ finding: after, previousState: before.state }], now));
      const view = findingView(after, (await this.query.histories(m, [id])).get(id) ?? []);
      // Last: the outbox's bucket locks after the finding's row lock and every write (docs/messaging.md).
      await outbox.flush(m);
      return view;
    });
    const scope = enqueueRun as FindingRow | null;
    if (scope) await this.runs.enqueue(scope.taxNo, scope.period, 'retry', actor.subject, now);
    return result;
  }

  private async apply(m: EntityManager, f: FindingRow, action: FindingAction, actor: Actor, now: Date, outbox: PendingOutbox): Promise<FindingRow> {
    const label = f.invoiceKey ? `Invoice ${f.invoiceKey}` : `Device ${f.deviceId ?? f.subject}`;
    switch (action.action) {
      case 'resolve': {
        if (CLOSED.includes(f.state)) throw closed(f);
        if (f.type === 'MISSING_IN_LEDGER' && f.invoiceKey) {
          await this.ledger.confirmBackfilled(m, f.invoiceKey, now, actor.subject);
        }
        return this.save(m, f, 'resolved', `${label} was marked resolved by ${actor.name}: ${action.reason}.`, now);
      }
      case 'ignore':
        if (f.state === 'ignored') throw closed(f);
        return this.save(m, f, 'ignored', `${label} is ignored by decision of ${actor.name}: ${action.reason}.`, now);
      case 'retry': {
        if (f.state === 'ignored') throw closed(f);
        if (CHECKED_NOT_RUN.includes(f.type)) throw checkInstead(f);
        if (f.type !== 'MISSING_IN_AUTHORITY' || !f.invoiceKey) return f;
        const attempt = f.remediationAttempts + 1;
        outbox.add(this.reuploads.messages([{ invoiceKey: f.invoiceKey, attempt, findingId: f.id, requestedBy: `${actor.kind}:${actor.subject}`, reason: action.reason }], now));
        const explanation = `${label}: re-upload requested by ${actor.name} (attempt ${attempt}): ${action.reason}.`;
        await this.findings.markRemediating(m, f.id, attempt, explanation, now);
        return { ...f, remediationAttempts: attempt, lastRemediatedAt: now, state: 'remediating', explanation, updatedAt: now };
      }
    }
  }

  private async save(m: EntityManager, f: FindingRow, state: FindingState, explanation: string, now: Date): Promise<FindingRow> {
    await this.findings.setState(m, f.id, state, explanation, now);
    return { ...f, state, explanation, updatedAt: now };
  }
}

function checkInstead(f: FindingRow): AppError {
  return new AppError(
    ReconcileErrorCode.RETRY_NOT_APPLICABLE,
    'conflict',
    `finding ${f.id} (${f.type}) comes from checking a received invoice; a reconciliation run would not look at it again: check the invoice again with POST /v1/received-invoices/{id}/checks`,
  );
}

function closed(f: FindingRow): AppError {
  return new AppError(ReconcileErrorCode.FINDING_CLOSED, 'conflict', `finding ${f.id} is ${f.state}; this action does not apply`);
}
