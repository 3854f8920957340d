import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, Clock, CLOCK } from '@lib/common';
import { FindingState } from '@lib/contracts';
import { Actor, actorOf, AuditLog, BranchScope, Principal } from '@lib/platform';
import { FindingEventsPublisher } from '../findings/finding-events.publisher';
import { FindingRow } from '../findings/finding.model';
import { FindingsQueryRepository } from '../findings/findings-query.repository';
import { FindingsRepository } from '../findings/findings.repository';
import { PendingOutbox } from '../findings/pending-outbox';
import { decodeCursor, pageOf, UUID_ID } from '../persistence/keyset-cursor';
import { findingNotFound } from '../use-cases/get-finding/get-finding.use-case';
import {
  addMoney,
  correctionView,
  CorrectionRow,
  CorrectionView,
  RED_REASONS,
  RedReasonCode,
  toFen,
} from './correction.model';
import { CorrectionsRepository } from './corrections.repository';
import { ListCorrectionsQuery } from './corrections.schemas';
import { ReconcileErrorCode } from '../reconcile-error-codes';

const CORRECTABLE = ['AMOUNT_MISMATCH', 'STATUS_MISMATCH'];

export interface ProposalInput {
  findingId: string;
  reasonCode: string;
  amount: string;
  taxAmount: string;
  reissue: boolean;
  reissueInvoiceKey?: string;
  note: string;
}

/** Where a correction no longer takes a re-issue: it is over. */
const ENDED = ['completed', 'rejected', 'refused', 'void', 'withdrawn', 'closed'];

/**
 * Red-letter corrections with four eyes (docs/corrections.md). A person proposes (or reconcile proposed, in a run) the
 * red-letter form that corrects a mismatch finding; a finance manager who is not the proposer approves or rejects it.
 * Every step is written in one transaction with the correction's history, the finding's history and the audit log,
 * naming the person; a finding whose state changes is announced like any other (its event enqueued at the end). An
 * approval only marks the form due: the submitter enters it at the authority, so no call is made under a lock.
 */
@Injectable()
export class CorrectionsService {
  private readonly logger = new Logger('Corrections');

  constructor(
    private readonly dataSource: DataSource,
    private readonly corrections: CorrectionsRepository,
    private readonly findingsQuery: FindingsQueryRepository,
    private readonly findings: FindingsRepository,
    private readonly events: FindingEventsPublisher,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(scope: BranchScope, q: ListCorrectionsQuery) {
    const after = q.cursor ? decodeCursor(q.cursor, UUID_ID) : null;
    const rows = await this.corrections.list(this.dataSource.manager, scope, { ...q, after });
    const page = pageOf(rows, q.limit, (last) => [last.createdAt.toISOString(), last.id]);
    return { items: page.items.map((c) => correctionView(c)), nextCursor: page.nextCursor };
  }

  async get(id: string, scope: BranchScope): Promise<CorrectionView> {
    return this.viewOf(this.dataSource.manager, id, scope);
  }

  /**
   * A person proposes the form for a mismatch finding of their scope. A pending proposal (not decided, no form yet)
   * is withdrawn in favour of this one; a correction already approved or following a form answers 409
   * CORRECTION_IN_PROGRESS. The amounts may not exceed what is left of the original (400 CORRECTION_EXCEEDS_REMAINING).
   * An open or escalated finding goes (back) to remediation.
   */
  async propose(input: ProposalInput, principal: Principal): Promise<CorrectionView> {
    const by = actorOf(principal);
    const now = this.clock.now();
    const id = await this.dataSource.transaction(async (m) => {
      const finding = await this.findingsQuery.get(m, input.findingId, principal.scope, true);
      if (!finding) throw findingNotFound(input.findingId);
      if (!CORRECTABLE.includes(finding.type) || !finding.invoiceKey || !finding.invoiceNumber) {
        throw new AppError(
          ReconcileErrorCode.CORRECTION_NOT_APPLICABLE,
          'validation',
          `a ${finding.type} finding is not corrected with a red-letter form`,
        );
      }
      if (finding.state === 'resolved' || finding.state === 'ignored') {
        throw new AppError(
          ReconcileErrorCode.FINDING_CLOSED,
          'conflict',
          `finding ${finding.id} is ${finding.state}; nothing to correct`,
        );
      }
      await this.checkRemaining(m, finding, input);
      if (input.reissueInvoiceKey) await this.checkReissue(m, finding, input.reissueInvoiceKey);
      const { active, nextAttempt } = await this.corrections.activeOf(m, finding.id);
      if (active && (active.approval !== 'proposed' || active.formId)) {
        throw new AppError(
          ReconcileErrorCode.CORRECTION_IN_PROGRESS,
          'conflict',
          `correction ${active.id} of finding ${finding.id} is already ${active.state}`,
          {
            details: [{ code: 'ACTIVE_CORRECTION', field: 'findingId', message: active.id }],
          },
        );
      }
      if (active) {
        await this.corrections.withdraw(m, active.id, now);
        await this.corrections.record(m, active.id, {
          at: now,
          action: 'withdrawn',
          actor: by,
          reason: `replaced by a new proposal of ${by.name}`,
          detail: {},
        });
      }
      const created = await this.corrections.insertProposal(
        m,
        {
          findingId: finding.id,
          attempt: nextAttempt,
          invoiceKey: finding.invoiceKey!,
          taxNo: finding.taxNo,
          kind: finding.type === 'AMOUNT_MISMATCH' ? 'amount' : 'status',
          reasonCode: input.reasonCode,
          originalCode: finding.invoiceCode,
          originalNumber: finding.invoiceNumber!,
          amount: input.amount,
          taxAmount: input.taxAmount,
          reissue: input.reissue,
          reissueInvoiceKey: input.reissueInvoiceKey ?? null,
          note: input.note,
          by,
        },
        now,
      );
      const total = addMoney(input.amount, input.taxAmount);
      await this.corrections.record(m, created, {
        at: now,
        action: 'proposed',
        actor: by,
        reason: input.note,
        detail: {
          reasonCode: input.reasonCode,
          amount: input.amount,
          taxAmount: input.taxAmount,
          reissue: input.reissue,
          reissueInvoiceKey: input.reissueInvoiceKey ?? null,
          replaced: active?.id ?? null,
        },
      });
      const explanation =
        `Invoice ${finding.invoiceKey} differs from the authority's record; ${by.name} proposed a red-letter correction reversing ` +
        `${total} (reason ${input.reasonCode} ${RED_REASONS[input.reasonCode as RedReasonCode]}), which awaits a finance manager's approval.`;
      await this.step(m, finding, 'remediating', explanation, 'correction-proposed', by, input.note, now, {
        action: 'correction.propose',
        id: created,
        detail: { findingId: finding.id, reasonCode: input.reasonCode, total, reissue: input.reissue },
      });
      return created;
    });
    this.logger.log(
      { correctionId: id, findingId: input.findingId, by: by.subject },
      'red-letter correction proposed',
    );
    return this.viewOf(this.dataSource.manager, id, principal.scope);
  }

  /**
   * A finance manager approves a pending proposal that is not their own (403 SELF_APPROVAL): the form becomes due for
   * entering at the authority. Anything but a pending proposal answers 409 CORRECTION_NOT_PENDING.
   */
  async approve(id: string, reason: string | null, principal: Principal): Promise<CorrectionView> {
    return this.decide(id, 'approved', reason, principal);
  }

  /** A finance manager rejects a pending proposal: the finding is escalated to a person, with the reason. */
  async reject(id: string, reason: string, principal: Principal): Promise<CorrectionView> {
    return this.decide(id, 'rejected', reason, principal);
  }

  private async decide(
    id: string,
    decision: 'approved' | 'rejected',
    reason: string | null,
    principal: Principal,
  ): Promise<CorrectionView> {
    const by = actorOf(principal);
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const c = await this.corrections.get(m, id, principal.scope, true);
      if (!c) throw correctionNotFound(id);
      if (c.state !== 'proposed') {
        throw new AppError(
          ReconcileErrorCode.CORRECTION_NOT_PENDING,
          'conflict',
          `correction ${id} is ${c.state}: only a proposed correction can be decided`,
        );
      }
      if (decision === 'approved' && c.proposedBy && sameActor(c.proposedBy, by)) {
        throw new AppError(
          ReconcileErrorCode.SELF_APPROVAL,
          'forbidden',
          `${by.name} proposed correction ${id} and may not approve it: another finance manager must`,
        );
      }
      const finding = (await this.findingsQuery.get(m, c.findingId, principal.scope, false))!;
      await this.corrections.decide(m, id, decision, by, reason, now);
      await this.corrections.record(m, id, {
        at: now,
        action: decision,
        actor: by,
        reason,
        detail: { proposedBy: c.proposedBy },
      });
      const total = c.amount !== null && c.taxAmount !== null ? addMoney(c.amount, c.taxAmount) : '?';
      const proposer = c.proposedBy?.name ?? 'reconcile';
      const approved = decision === 'approved';
      const explanation = approved
        ? `Invoice ${c.invoiceKey} differs from the authority's record; ${by.name} approved the red-letter correction proposed by ` +
          `${proposer} (reversing ${total}), which is now being entered at the authority.`
        : `Invoice ${c.invoiceKey} still differs from the authority's record: ${by.name} rejected the red-letter correction proposed ` +
          `by ${proposer} (reversing ${total}) because ${reason}; a person must decide how to correct it.`;
      const state: FindingState = approved ? finding.state : 'escalated';
      await this.step(
        m,
        finding,
        state,
        explanation,
        approved ? 'correction-approved' : 'correction-rejected',
        by,
        reason,
        now,
        {
          action: approved ? 'correction.approve' : 'correction.reject',
          id,
          detail: { findingId: c.findingId, proposedBy: c.proposedBy, total },
        },
      );
    });
    this.logger.log({ correctionId: id, decision, by: by.subject }, 'red-letter correction decided');
    return this.viewOf(this.dataSource.manager, id, principal.scope);
  }

  /**
   * A person names the corrected re-issue of a correction that re-issues the invoice (docs/corrections.md, "Re-issue"):
   * an invoice of our ledger, of the same taxpayer, blue and in force, other than the original. The tracker completes
   * the correction, and resolves its finding, once the red invoice and this re-issue are both at the authority. A later
   * call names another (the history keeps both). 400 CORRECTION_NOT_REISSUE for a correction that does not re-issue,
   * 409 CORRECTION_ENDED once it is over, 400 CORRECTION_REISSUE_INVALID for an invoice that cannot be the re-issue.
   */
  async linkReissue(id: string, invoiceKey: string, note: string | null, principal: Principal): Promise<CorrectionView> {
    const by = actorOf(principal);
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const c = await this.corrections.get(m, id, principal.scope, true);
      if (!c) throw correctionNotFound(id);
      if (!c.reissue) {
        throw new AppError(
          ReconcileErrorCode.CORRECTION_NOT_REISSUE,
          'validation',
          `correction ${id} does not re-issue invoice ${c.invoiceKey}: its red invoice alone completes it`,
        );
      }
      if (ENDED.includes(c.state)) {
        throw new AppError(ReconcileErrorCode.CORRECTION_ENDED, 'conflict', `correction ${id} is ${c.state}: it takes no re-issue any more`);
      }
      const finding = (await this.findingsQuery.get(m, c.findingId, principal.scope, false))!;
      await this.checkReissue(m, finding, invoiceKey);
      await this.corrections.linkReissue(m, id, invoiceKey, now);
      await this.corrections.record(m, id, {
        at: now,
        action: 'reissue-linked',
        actor: by,
        reason: note,
        detail: { invoiceKey, replaced: c.reissueInvoiceKey },
      });
      await this.findings.appendHistory(
        m,
        [
          {
            findingId: finding.id,
            fromState: finding.state,
            toState: finding.state,
            action: 'correction-reissue',
            actor: by,
            reason: note ?? `invoice ${invoiceKey} re-issues invoice ${c.invoiceKey} corrected`,
            runId: null,
          },
        ],
        now,
      );
      await this.audit.record(m, {
        at: now,
        actor: by,
        action: 'correction.reissue',
        targetType: 'correction',
        targetId: id,
        taxNo: finding.taxNo,
        branchId: finding.branchId,
        reason: note ?? undefined,
        detail: { findingId: finding.id, invoiceKey, replaced: c.reissueInvoiceKey },
      });
    });
    this.logger.log({ correctionId: id, invoiceKey, by: by.subject }, 'corrected re-issue named');
    return this.viewOf(this.dataSource.manager, id, principal.scope);
  }

  /** A re-issue is an invoice of our ledger, of the finding's taxpayer, blue and in force, and not the original. */
  private async checkReissue(m: EntityManager, finding: FindingRow, invoiceKey: string): Promise<void> {
    const invoice = await this.corrections.ledgerInvoice(m, invoiceKey);
    const why =
      invoiceKey === finding.invoiceKey
        ? 'is the original itself'
        : !invoice || invoice.source !== 'ledger'
          ? 'is not in our ledger'
          : invoice.taxNo !== finding.taxNo
            ? `belongs to another taxpayer (${invoice.taxNo})`
            : invoice.colour !== 'blue'
              ? 'is a red invoice'
              : invoice.state !== 'issued'
                ? `is ${invoice.state}`
                : null;
    if (why) {
      throw new AppError(
        ReconcileErrorCode.CORRECTION_REISSUE_INVALID,
        'validation',
        `invoice ${invoiceKey} cannot re-issue invoice ${finding.invoiceKey}: it ${why}`,
        { details: [{ code: 'REISSUE_INVALID', field: 'invoiceKey', message: why }] },
      );
    }
  }

  /** The finding's part of a step: its state and explanation, its history, the audit entry, its event when the state changed. */
  private async step(
    m: EntityManager,
    finding: FindingRow,
    state: FindingState,
    explanation: string,
    action: string,
    by: Actor,
    reason: string | null,
    now: Date,
    audit: { action: string; id: string; detail: Record<string, unknown> },
  ): Promise<void> {
    await m.query('UPDATE findings SET state = $2, explanation = $3, updated_at = $4 WHERE id = $1', [
      finding.id,
      state,
      explanation,
      now,
    ]);
    await this.findings.appendHistory(
      m,
      [
        {
          findingId: finding.id,
          fromState: finding.state,
          toState: state,
          action,
          actor: by,
          reason,
          runId: null,
        },
      ],
      now,
    );
    await this.audit.record(m, {
      at: now,
      actor: by,
      action: audit.action,
      targetType: 'correction',
      targetId: audit.id,
      taxNo: finding.taxNo,
      branchId: finding.branchId,
      reason: reason ?? undefined,
      detail: audit.detail,
    });
    if (state !== finding.state) {
      const outbox = new PendingOutbox();
      outbox.add(
        this.events.messages(
          [{ finding: { ...finding, state, explanation, updatedAt: now }, previousState: finding.state }],
          now,
        ),
      );
      await outbox.flush(m);
    }
  }

  /** What is left of the original to reverse: the authority's copy (the ledger's when it has none) less our red invoices. */
  private async checkRemaining(m: EntityManager, finding: FindingRow, input: ProposalInput): Promise<void> {
    const [row] = (await m.query(
      `SELECT COALESCE(f.evidence #>> '{authority,totalAmount}', f.evidence #>> '{ledger,totalAmount}') AS total,
              COALESCE((SELECT l.red_reversed_amount::text FROM ledger_invoices l WHERE l.invoice_key = f.invoice_key), '0') AS reversed
         FROM findings f WHERE f.id = $1`,
      [finding.id],
    )) as { total: string | null; reversed: string }[];
    if (!row?.total) {
      throw new AppError(
        ReconcileErrorCode.CORRECTION_ORIGINAL_UNKNOWN,
        'validation',
        `the amounts of invoice ${finding.invoiceKey} are not known: a correction cannot be sized`,
      );
    }
    const remaining = toFen(row.total) - toFen(row.reversed);
    const asked = toFen(input.amount) + toFen(input.taxAmount);
    if (asked > remaining) {
      throw new AppError(
        ReconcileErrorCode.CORRECTION_EXCEEDS_REMAINING,
        'validation',
        `the correction reverses ${addMoney(input.amount, input.taxAmount)}, more than the ${fenText(remaining)} left of invoice ${finding.invoiceKey}`,
        {
          details: [
            { code: 'EXCEEDS_REMAINING', field: 'amount', message: `at most ${fenText(remaining)} in total` },
          ],
        },
      );
    }
  }

  private async viewOf(m: EntityManager, id: string, scope: BranchScope): Promise<CorrectionView> {
    const c: CorrectionRow | null = await this.corrections.get(m, id, scope);
    if (!c) throw correctionNotFound(id);
    return correctionView(c, await this.corrections.history(m, id), await this.corrections.formHistory(m, c));
  }
}

export function correctionNotFound(id: string): AppError {
  return new AppError(ReconcileErrorCode.CORRECTION_NOT_FOUND, 'not_found', `correction ${id} does not exist`);
}

function sameActor(a: Actor, b: Actor): boolean {
  return a.kind === b.kind && a.subject === b.subject;
}

function fenText(fen: bigint): string {
  const v = fen < 0n ? 0n : fen;
  return `${v / 100n}.${String(v % 100n).padStart(2, '0')}`;
}
