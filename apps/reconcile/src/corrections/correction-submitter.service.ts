import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK, sleep } from '@lib/common';
import { AuditLog } from '@lib/platform';
import { RedFormSubmitter } from '@lib/providers';
import type { RedFormView, WireRedReason } from '@lib/protocols';
import { FindingEventsPublisher } from '../findings/finding-events.publisher';
import { RECONCILE_ACTOR } from '../findings/finding.model';
import { FindingsQueryRepository } from '../findings/findings-query.repository';
import { FindingsRepository } from '../findings/findings.repository';
import { PendingOutbox } from '../findings/pending-outbox';
import { CorrectionRequestsRepository } from '../remediation/correction-requests.repository';
import { CORRECTION_TRACKING, CorrectionTrackingSettings } from '../remediation/red-form.port';
import { correctionStatusOf, formStateNote, nextCheckAt } from '../remediation/red-form.rules';
import { ClaimedSubmission, CorrectionsRepository } from './corrections.repository';

export const RED_FORM_SUBMITTER = Symbol('RED_FORM_SUBMITTER');
export const CORRECTION_SUBMISSION = Symbol('CORRECTION_SUBMISSION');

export interface CorrectionSubmissionSettings {
  enabled: boolean;
  pollMs: number;
  batchSize: number;
  /** A claimed submission is taken to be abandoned after this long (longer than the call's deadline). */
  leaseMs: number;
  /** Pause before the first retry of a failed or unknown try; doubled per try, at most `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
}

export interface SubmissionRound {
  claimed: number;
  /** Forms the authority created on this round's calls. */
  created: number;
  /** Forms found by a lookup after an earlier try's answer was lost (not entered again). */
  found: number;
  /** Proposals the authority refused (their finding escalated). */
  refused: number;
  /** Tries that failed or whose outcome is unknown (tried again later, after a lookup). */
  failed: number;
}

type Outcome =
  | { kind: 'created' | 'found'; form: RedFormView }
  | { kind: 'refused'; code: string; message: string }
  | { kind: 'failed'; error: string };

/**
 * Enters approved red-letter corrections at the authority, exactly once in effect (docs/corrections.md). Owned by
 * reconcile's corrections, not sync: the proposal, its approval and the finding live here, and reconcile already
 * holds the authority's red-form connection; the approved row is itself the outbox (written in the approval's
 * transaction, drained here). A claim marks the row in flight, in its own short transaction, before the call; a try
 * after any earlier one first looks the form up by our request number and original invoice, and adopts a form it
 * finds instead of entering another. The call runs outside any transaction, behind its own breaker and deadline; its
 * outcome is written with the form's first state, the correction's and the finding's history and the audit log.
 */
@Injectable()
export class CorrectionSubmitterService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CorrectionSubmitter');
  private stopping = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly corrections: CorrectionsRepository,
    private readonly requests: CorrectionRequestsRepository,
    private readonly findingsQuery: FindingsQueryRepository,
    private readonly findings: FindingsRepository,
    private readonly events: FindingEventsPublisher,
    private readonly audit: AuditLog,
    @Inject(RED_FORM_SUBMITTER) private readonly submitter: RedFormSubmitter | null,
    @Inject(CORRECTION_SUBMISSION) private readonly settings: CorrectionSubmissionSettings,
    @Inject(CORRECTION_TRACKING) private readonly tracking: CorrectionTrackingSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.enabled && this.submitter) this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    this.submitter?.shutdown();
  }

  async tick(): Promise<SubmissionRound> {
    const round: SubmissionRound = { claimed: 0, created: 0, found: 0, refused: 0, failed: 0 };
    if (!this.submitter) return round;
    const now = this.clock.now();
    const claimed = await this.corrections.claimSubmissions(
      this.dataSource.manager,
      now,
      new Date(now.getTime() + this.settings.leaseMs),
      this.settings.batchSize,
    );
    round.claimed = claimed.length;
    for (const c of claimed) {
      const outcome = await this.attempt(this.submitter, c);
      round[outcome.kind] += 1;
      await this.record(c, outcome);
    }
    return round;
  }

  private async attempt(submitter: RedFormSubmitter, c: ClaimedSubmission): Promise<Outcome> {
    try {
      if (c.earlierAttempts > 0) {
        const form = await submitter.lookup(c.taxNo, c.id, c.invoiceKey);
        if (form) return { kind: 'found', form };
      }
      const result = await submitter.submit({
        taxNo: c.taxNo,
        requestNo: c.id,
        original: { code: c.originalCode, number: c.originalNumber },
        reason: c.reasonCode as WireRedReason,
        amount: c.amount,
        taxAmount: c.taxAmount,
      });
      return result.status === 'created'
        ? { kind: 'created', form: result.form }
        : { kind: 'refused', code: result.code, message: result.message };
    } catch (error) {
      const e = error as { code?: string; kind?: string; message?: string };
      return {
        kind: 'failed',
        error: `${e?.code ?? 'ERROR'} (${e?.kind ?? 'unknown'}): ${String(e?.message ?? error)}`.slice(
          0,
          500,
        ),
      };
    }
  }

  private async record(c: ClaimedSubmission, outcome: Outcome): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      // the finding, then the request: the order of runs, the tracker and decisions
      const finding = await this.findingsQuery.get(m, c.findingId, { all: true }, true);
      const [current] = (await m.query(
        'SELECT submission, status FROM correction_requests WHERE id = $1 FOR UPDATE',
        [c.id],
      )) as { submission: string | null; status: string }[];
      if (!finding || !current || current.submission !== 'in_flight') return;
      const actor = RECONCILE_ACTOR;
      const outbox = new PendingOutbox();
      if (outcome.kind === 'failed') {
        const attempts = c.earlierAttempts + 1;
        const wait = Math.min(this.settings.maxBackoffMs, this.settings.backoffMs * 2 ** (attempts - 1));
        await this.corrections.retryLater(m, c.id, outcome.error, new Date(now.getTime() + wait), now);
        await this.corrections.record(m, c.id, {
          at: now,
          action: 'submit-failed',
          actor,
          reason: outcome.error,
          detail: { attempt: attempts },
        });
        return;
      }
      if (outcome.kind === 'refused') {
        const error = `${outcome.code}: ${outcome.message}`;
        await this.corrections.refused(m, c.id, error, now);
        await this.corrections.record(m, c.id, {
          at: now,
          action: 'refused',
          actor,
          reason: error,
          detail: { code: outcome.code },
        });
        const escalate = current.status === 'requested' && finding.state === 'remediating';
        const explanation =
          `Invoice ${c.invoiceKey} still differs from the authority's record: the authority refused the approved red-letter ` +
          `form (${outcome.code}: ${outcome.message}); a person must revise the correction.`;
        if (escalate) {
          await this.requests.moveFindings(
            m,
            'remediating',
            'escalated',
            [{ id: finding.id, explanation }],
            now,
          );
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
        await this.auditStep(
          m,
          c,
          finding.branchId,
          'correction.refused',
          error,
          { code: outcome.code },
          now,
        );
        await outbox.flush(m);
        return;
      }
      const form = outcome.form;
      const status = correctionStatusOf(form.state);
      await this.corrections.submitted(
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
    });
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

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      try {
        const round = await this.tick();
        if (round.failed > 0)
          this.logger.warn(
            { ...round },
            'some red-letter forms could not be entered; they are looked up and tried again later',
          );
      } catch (error) {
        this.logger.error({ err: error }, 'correction submission round failed');
      }
      await sleep(this.settings.pollMs, this.stopping.signal).catch(() => undefined);
    }
  }
}
