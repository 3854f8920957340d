import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, CLOCK } from '@lib/common';
import { AuditLog } from '@lib/platform';
import type { RedFormView } from '@lib/protocols';
import { FindingEventsPublisher } from '../findings/finding-events.publisher';
import { FindingRow, RECONCILE_ACTOR } from '../findings/finding.model';
import { FindingsQueryRepository } from '../findings/findings-query.repository';
import { FindingsRepository } from '../findings/findings.repository';
import { PendingOutbox } from '../findings/pending-outbox';
import { CorrectionRequestsRepository } from '../remediation/correction-requests.repository';
import { CORRECTION_TRACKING, CorrectionTrackingSettings } from '../remediation/red-form.port';
import { correctionStatusOf, formStateNote, nextCheckAt } from '../remediation/red-form.rules';
import { ClaimedSubmission, CorrectionSubmissionsRepository } from './correction-submissions.repository';
import { CORRECTION_SUBMISSION, CorrectionSubmissionSettings } from './correction-submission.settings';
import { CorrectionsRepository } from './corrections.repository';

/** What one try to enter a form at the authority came to. */
export type SubmissionOutcome =
  | { kind: 'created' | 'found'; form: RedFormView }
  | { kind: 'refused'; code: string; message: string }
  | { kind: 'failed'; error: string };

/**
 * The follow-up on the authority's answer to a claimed submission (docs/corrections.md), in one transaction: the
 * form's first state (or the refusal, or the next try), the correction's and the finding's history and the audit log.
 * Written only while the claim still holds (the row is still `in_flight`).
 */
@Injectable()
export class CorrectionSubmissionOutcomes {
  constructor(
    private readonly dataSource: DataSource,
    private readonly corrections: CorrectionsRepository,
    private readonly submissions: CorrectionSubmissionsRepository,
    private readonly requests: CorrectionRequestsRepository,
    private readonly findingsQuery: FindingsQueryRepository,
    private readonly findings: FindingsRepository,
    private readonly events: FindingEventsPublisher,
    private readonly audit: AuditLog,
    @Inject(CORRECTION_SUBMISSION) private readonly settings: CorrectionSubmissionSettings,
    @Inject(CORRECTION_TRACKING) private readonly tracking: CorrectionTrackingSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async record(c: ClaimedSubmission, outcome: SubmissionOutcome): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      // the finding, then the request: the order of runs, the tracker and decisions
      const finding = await this.findingsQuery.get(m, c.findingId, { all: true }, true);
      const current = await this.submissions.lockSubmission(m, c.id);
      if (!finding || !current || current.submission !== 'in_flight') return;
      if (outcome.kind === 'failed') await this.failed(m, c, outcome.error, now);
      else if (outcome.kind === 'refused') await this.refused(m, c, finding, current.status, outcome, now);
      else await this.entered(m, c, finding, outcome, now);
    });
  }

  private async failed(m: EntityManager, c: ClaimedSubmission, error: string, now: Date): Promise<void> {
    const attempts = c.earlierAttempts + 1;
    const wait = Math.min(this.settings.maxBackoffMs, this.settings.backoffMs * 2 ** (attempts - 1));
    await this.submissions.retryLater(m, c.id, error, new Date(now.getTime() + wait), now);
    await this.corrections.record(m, c.id, {
      at: now,
      action: 'submit-failed',
      actor: RECONCILE_ACTOR,
      reason: error,
      detail: { attempt: attempts },
    });
  }

  private async refused(
    m: EntityManager,
    c: ClaimedSubmission,
    finding: FindingRow,
    status: string,
    outcome: { code: string; message: string },
    now: Date,
  ): Promise<void> {
    const actor = RECONCILE_ACTOR;
    const outbox = new PendingOutbox();
    const error = `${outcome.code}: ${outcome.message}`;
    await this.submissions.refused(m, c.id, error, now);
    await this.corrections.record(m, c.id, {
      at: now,
      action: 'refused',
      actor,
      reason: error,
      detail: { code: outcome.code },
    });
    const escalate = status === 'requested' && finding.state === 'remediating';
    const explanation =
      `Invoice ${c.invoiceKey} still differs from the authority's record: the authority refused the approved red-letter ` +
      `form (${outcome.code}: ${outcome.message}); a person must revise the correction.`;
    if (escalate) {
      await this.requests.moveFindings(m, 'remediating', 'escalated', [{ id: finding.id, explanation }], now);
      outbox.add(
        this.events.messages(
          [
            {
              finding: { ...finding, state: 'escalated', explanation, updatedAt: now },
              previousState: 'remediating',
            },
          ],
          now,
        ),
      );
    }
    await this.findings.appendHistory(
      m,
      [
        {
          findingId: finding.id,
          fromState: finding.state,
          toState: escalate ? 'escalated' : finding.state,
          action: 'correction-refused',
          actor,
          reason: error,
          runId: null,
        },
      ],
      now,
    );
    await this.auditStep(m, c, finding.branchId, 'correction.refused', error, { code: outcome.code }, now);
    await outbox.flush(m);
  }

  /** The form the authority created, or that a lookup found after an earlier answer was lost: the tracker follows it. */
  private async entered(
    m: EntityManager,
    c: ClaimedSubmission,
    finding: FindingRow,
    outcome: { kind: 'created' | 'found'; form: RedFormView },
    now: Date,
  ): Promise<void> {
    const actor = RECONCILE_ACTOR;
    const form = outcome.form;
    const status = correctionStatusOf(form.state);
    await this.submissions.submitted(
      m,
      c.id,
      {
        formId: form.formId,
        state: form.state,
        status,
        stateAt: new Date(form.updatedAt),
        nextCheckAt: nextCheckAt(status, now, this.tracking),
      },
      now,
    );
    await this.requests.appendFormHistory(
      m,
      [
        {
          findingId: c.findingId,
          attempt: c.attempt,
          formId: form.formId,
          fromState: null,
          toState: form.state,
          formUpdatedAt: new Date(form.updatedAt),
        },
      ],
      now,
    );
    const how =
      outcome.kind === 'found' ? 'found by its request number after an earlier answer was lost' : 'entered';
    const note = `${formStateNote(form.formId, form.state)} (${how} for correction ${c.id})`;
    await this.corrections.record(m, c.id, {
      at: now,
      action: outcome.kind === 'found' ? 'submitted-found' : 'submitted',
      actor,
      reason: note,
      detail: { formId: form.formId, state: form.state, attempt: c.earlierAttempts + 1 },
    });
    await this.findings.appendHistory(
      m,
      [
        {
          findingId: finding.id,
          fromState: finding.state,
          toState: finding.state,
          action: 'red-form',
          actor,
          reason: note,
          runId: null,
        },
      ],
      now,
    );
    await this.auditStep(
      m,
      c,
      finding.branchId,
      'correction.submit',
      note,
      { formId: form.formId, state: form.state, how: outcome.kind },
      now,
    );
  }

  private async auditStep(
    m: Parameters<AuditLog['record']>[0],
    c: ClaimedSubmission,
    branchId: string | null,
    action: string,
    reason: string,
    detail: Record<string, unknown>,
    now: Date,
  ): Promise<void> {
    await this.audit.record(m, {
      at: now,
      actor: RECONCILE_ACTOR,
      action,
      targetType: 'correction',
      targetId: c.id,
      taxNo: c.taxNo,
      branchId,
      reason,
      detail: { findingId: c.findingId, ...detail },
    });
  }
}
