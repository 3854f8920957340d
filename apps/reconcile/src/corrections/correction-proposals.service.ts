import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, Clock, CLOCK } from '@lib/common';
import { FindingState } from '@lib/contracts';
import { Actor, actorOf, Principal } from '@lib/platform';
import { FindingsQueryRepository } from '../findings/findings-query.repository';
import { ReconcileErrorCode } from '../reconcile-error-codes';
import { findingNotFound } from '../use-cases/get-finding/get-finding.use-case';
import { CorrectionChecks } from './correction-checks';
import { CorrectionFindingStep } from './correction-finding-step';
import { addMoney, CorrectionView, RED_REASONS, RedReasonCode } from './correction.model';
import { CorrectionsQueryService } from './corrections-query.service';
import { CorrectionsRepository } from './corrections.repository';

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

/**
 * Red-letter corrections with four eyes (docs/corrections.md): the proposal and its decision. A person proposes (or
 * reconcile proposed, in a run) the red-letter form that corrects a mismatch finding; a finance manager who is not the
 * proposer approves or rejects it. Every step is written in one transaction with the correction's history, the
 * finding's history and the audit log, naming the person; a finding whose state changes is announced like any other
 * (its event enqueued at the end). An approval only marks the form due: the submitter enters it at the authority, so
 * no call is made under a lock.
 */
@Injectable()
export class CorrectionProposalsService {
  private readonly logger = new Logger('Corrections');

  constructor(
    private readonly dataSource: DataSource,
    private readonly corrections: CorrectionsRepository,
    private readonly findingsQuery: FindingsQueryRepository,
    private readonly checks: CorrectionChecks,
    private readonly findingStep: CorrectionFindingStep,
    private readonly views: CorrectionsQueryService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

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
      await this.checks.remaining(m, finding, input);
      if (input.reissueInvoiceKey) await this.checks.reissue(m, finding, input.reissueInvoiceKey);
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
      await this.findingStep.apply(
        m,
        finding,
        'remediating',
        explanation,
        'correction-proposed',
        by,
        input.note,
        now,
        {
          action: 'correction.propose',
          id: created,
          detail: { findingId: finding.id, reasonCode: input.reasonCode, total, reissue: input.reissue },
        },
      );
      return created;
    });
    this.logger.log(
      { correctionId: id, findingId: input.findingId, by: by.subject },
      'red-letter correction proposed',
    );
    return this.views.get(id, principal.scope);
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
      const c = await this.views.lock(m, id, principal.scope);
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
      await this.findingStep.apply(
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
    return this.views.get(id, principal.scope);
  }
}

function sameActor(a: Actor, b: Actor): boolean {
  return a.kind === b.kind && a.subject === b.subject;
}
