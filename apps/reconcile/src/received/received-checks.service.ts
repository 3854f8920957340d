import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, Clock, CLOCK } from '@lib/common';
import { InvoiceType, shanghaiDateOf, verificationQueryOf } from '@lib/domain';
import { AuditLog } from '@lib/platform';
import type { Actor } from '@lib/platform';
import { FailoverVerification, msUntilNextShanghaiMidnight } from '@lib/providers';
import { FindingEventsPublisher } from '../findings/finding-events.publisher';
import { PendingOutbox } from '../findings/pending-outbox';
import { CheckResult, CheckTrigger, ReceivedCheck, ReceivedInvoice } from './received-invoice.model';
import { ReceivedFindings } from './received-findings';
import { ReceivedInvoicesRepository } from './received-invoices.repository';
import { RECEIVED_SETTINGS, RECEIVED_VERIFIER, ReceivedSettings, ReceivedVerifier } from './received.settings';
import { VerificationQuotaRepository } from './verification-quota.repository';
import { ReconcileErrorCode } from '../reconcile-error-codes';

/** What one check came to: recorded (with the findings it changed), or refused before any service was asked. */
export type CheckOutcome =
  | { kind: 'checked'; check: ReceivedCheck; findings: { id: string; type: string; state: string }[] }
  | { kind: 'refused'; error: AppError; retryAt: Date };

/**
 * 查验 of one received invoice (docs/received-invoices.md): through the failover verifier under our quota count, then,
 * in one transaction, the check with its channel and who asked, the invoice's latest result, its findings, the audit
 * entry and the finding events (outbox, last). A check no channel could make (every quota used up today, or every
 * service down) is refused with QUOTA_EXHAUSTED or VERIFICATION_UNAVAILABLE; one refused by the quota called nothing.
 */
@Injectable()
export class ReceivedChecksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly invoices: ReceivedInvoicesRepository,
    private readonly quota: VerificationQuotaRepository,
    private readonly findings: ReceivedFindings,
    private readonly events: FindingEventsPublisher,
    private readonly audit: AuditLog,
    @Inject(RECEIVED_VERIFIER) private readonly verifier: ReceivedVerifier,
    @Inject(RECEIVED_SETTINGS) private readonly settings: ReceivedSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `worker`: the re-check's claim, which the recording must still hold (a taken-over claim records nothing). */
  async check(inv: ReceivedInvoice, actor: Actor, trigger: CheckTrigger, worker?: string): Promise<CheckOutcome> {
    const query = verificationQueryOf({ ...inv, type: inv.type as InvoiceType });
    const started = this.clock.now();
    const out = await this.verifier.verify(inv.taxNo, query, this.quota.gate(inv.invoiceKey, shanghaiDateOf(started)));
    const now = this.clock.now();
    if (out.result === null && out.attempts.every((a) => a.outcome === 'quota')) {
      const retryAt = new Date(now.getTime() + msUntilNextShanghaiMidnight(now));
      return { kind: 'refused', retryAt, error: quotaExhausted(inv, retryAt, now) };
    }
    const result: CheckResult = out.result ?? 'UNAVAILABLE';
    return this.dataSource.transaction(async (m) => {
      if (worker && !(await this.invoices.holdsClaim(m, inv.id, worker))) {
        throw new AppError(ReconcileErrorCode.RECHECK_CLAIM_LOST, 'conflict', `received invoice ${inv.id}: the re-check's claim was taken over`);
      }
      const check = await this.invoices.recordCheck(m, toNewCheck(inv.id, out, result, trigger, actor, now), this.nextCheckAt(inv, result, now));
      const pendingVisibility = result === 'NOT_FOUND' && now.getTime() - Date.parse(inv.issuedAt) < this.settings.visibilityLagMs;
      const transitions = result === 'UNAVAILABLE' || result === 'BAD_INPUT' || pendingVisibility ? [] : await this.findings.apply(m, inv, check, actor, now);
      await this.audit.record(m, {
        at: now,
        actor,
        action: 'received-invoice.check',
        targetType: 'received-invoice',
        targetId: inv.id,
        taxNo: inv.taxNo,
        branchId: inv.branchId,
        detail: { trigger, result, channel: check.channel, checkId: check.id, attempts: out.attempts.length },
      });
      const outbox = new PendingOutbox();
      outbox.add(this.events.messages(transitions, now));
      await outbox.flush(m);
      return {
        kind: 'checked' as const,
        check,
        findings: transitions.map((t) => ({ id: t.finding.id, type: t.finding.type, state: t.finding.state })),
      };
    });
  }

  /** When the re-check asks again: after the visibility lag for a too-early "no such invoice", soon when nobody answered. */
  private nextCheckAt(inv: ReceivedInvoice, result: CheckResult, now: Date): Date {
    if (result === 'UNAVAILABLE') return new Date(now.getTime() + this.settings.retryAfterMs);
    const visibleFrom = Date.parse(inv.issuedAt) + this.settings.visibilityLagMs;
    if (result === 'NOT_FOUND' && visibleFrom > now.getTime()) return new Date(visibleFrom);
    return new Date(now.getTime() + this.settings.recheckAfterMs);
  }
}

function toNewCheck(id: string, out: FailoverVerification, result: CheckResult, trigger: CheckTrigger, actor: Actor, now: Date) {
  const answered = out.attempts[out.attempts.length - 1];
  const conclusive = out.answer !== null || result === 'BAD_INPUT';
  return {
    receivedInvoiceId: id,
    checkedAt: now,
    trigger,
    result,
    channel: conclusive ? answered.channel : null,
    returnCode: conclusive ? answered.code : null,
    returnMessage: conclusive ? answered.detail : (out.attempts.map((a) => `${a.channel}: ${a.code}`).join('; ') || 'no channel configured'),
    authorityStatus: out.answer?.invoice?.status ?? null,
    attempts: out.attempts,
    requestedBy: actor,
  };
}

function quotaExhausted(inv: ReceivedInvoice, retryAt: Date, now: Date): AppError {
  return new AppError(
    ReconcileErrorCode.QUOTA_EXHAUSTED,
    'rate_limited',
    `invoice ${inv.invoiceKey} has no 查验 left today on any channel; nothing was sent (next from ${retryAt.toISOString()})`,
    { retryAfterSeconds: Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000)) },
  );
}
