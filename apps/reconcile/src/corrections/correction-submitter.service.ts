import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK, sleep } from '@lib/common';
import { RedFormSubmitter } from '@lib/providers';
import type { WireRedReason } from '@lib/protocols';
import { CorrectionSubmissionOutcomes, SubmissionOutcome } from './correction-submission-outcomes';
import {
  CORRECTION_SUBMISSION,
  CorrectionSubmissionSettings,
  RED_FORM_SUBMITTER,
} from './correction-submission.settings';
import { ClaimedSubmission, CorrectionSubmissionsRepository } from './correction-submissions.repository';

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

/**
 * Enters approved red-letter corrections at the authority, exactly once in effect (docs/corrections.md). Owned by
 * reconcile's corrections, not sync: the proposal, its approval and the finding live here, and reconcile already
 * holds the authority's red-form connection; the approved row is itself the outbox (written in the approval's
 * transaction, drained here). A claim marks the row in flight, in its own short transaction, before the call; a try
 * after any earlier one first looks the form up by our request number and original invoice, and adopts a form it
 * finds instead of entering another. The call runs outside any transaction, behind its own breaker and deadline; its
 * outcome is written with the form's first state, the correction's and the finding's history and the audit log
 * (CorrectionSubmissionOutcomes).
 */
@Injectable()
export class CorrectionSubmitterService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CorrectionSubmitter');
  private stopping = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly submissions: CorrectionSubmissionsRepository,
    private readonly outcomes: CorrectionSubmissionOutcomes,
    @Inject(RED_FORM_SUBMITTER) private readonly submitter: RedFormSubmitter | null,
    @Inject(CORRECTION_SUBMISSION) private readonly settings: CorrectionSubmissionSettings,
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
    const claimed = await this.submissions.claimSubmissions(
      this.dataSource.manager,
      now,
      new Date(now.getTime() + this.settings.leaseMs),
      this.settings.batchSize,
    );
    round.claimed = claimed.length;
    for (const c of claimed) {
      const outcome = await this.attempt(this.submitter, c);
      round[outcome.kind] += 1;
      await this.outcomes.record(c, outcome);
    }
    return round;
  }

  private async attempt(submitter: RedFormSubmitter, c: ClaimedSubmission): Promise<SubmissionOutcome> {
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
