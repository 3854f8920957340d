import { DynamicModule, Module } from '@nestjs/common';
import { Clock, CLOCK, clockFromOffset } from '@lib/common';
import { AuthorityRedFormsSubmitter, providerSettingsFrom, RedFormSubmitter } from '@lib/providers';
import { FindingsModule } from '../findings/findings.module';
import { ReconcileConfig } from '../reconcile.config';
import { RemediationModule } from '../remediation/remediation.module';
import { CorrectionChecks } from './correction-checks';
import { CorrectionFindingStep } from './correction-finding-step';
import { CorrectionProposalsService } from './correction-proposals.service';
import { CorrectionReissueService } from './correction-reissue.service';
import { CorrectionSubmissionOutcomes } from './correction-submission-outcomes';
import {
  CORRECTION_SUBMISSION,
  CorrectionSubmissionSettings,
  RED_FORM_SUBMITTER,
} from './correction-submission.settings';
import { CorrectionSubmissionsRepository } from './correction-submissions.repository';
import { CorrectionSubmitterService } from './correction-submitter.service';
import { CorrectionsQueryRepository } from './corrections-query.repository';
import { CorrectionsQueryService } from './corrections-query.service';
import { CorrectionsController } from './corrections.controller';
import { CorrectionsRepository } from './corrections.repository';

/** What a test swaps: the clock (the app's overrides carry it). */
export interface CorrectionsOverrides {
  clock?: Clock;
}

/**
 * Red-letter corrections with four eyes (docs/corrections.md): the API, and the submitter that enters approved forms at
 * the authority with the AUTHORITY_* connection through its own breaker (`authority-red-forms-submit`). Without the
 * authority as a channel (RECONCILE_AUTHORITY_LIST_ENABLED=false) nothing is entered; the submitter runs where the run
 * workers run, at the tracker's pace (RECONCILE_CORRECTION_POLL_MS, _BATCH_SIZE).
 */
@Module({})
export class CorrectionsModule {
  static forRoot(config: ReconcileConfig, overrides: CorrectionsOverrides = {}): DynamicModule {
    const clock = overrides.clock ?? clockFromOffset(config.CLOCK_OFFSET_MS);
    return {
      module: CorrectionsModule,
      // the findings it corrects, and remediation's correction requests and tracking settings
      imports: [FindingsModule, RemediationModule],
      controllers: [CorrectionsController],
      providers: [
        { provide: CLOCK, useValue: clock },
        { provide: CORRECTION_SUBMISSION, useValue: submissionFrom(config) },
        {
          provide: RED_FORM_SUBMITTER,
          useFactory: (): RedFormSubmitter | null => createRedFormSubmitter(config),
        },
        CorrectionsRepository,
        CorrectionsQueryRepository,
        CorrectionSubmissionsRepository,
        CorrectionChecks,
        CorrectionFindingStep,
        CorrectionsQueryService,
        CorrectionProposalsService,
        CorrectionReissueService,
        CorrectionSubmissionOutcomes,
        CorrectionSubmitterService,
      ],
      exports: [
        CorrectionSubmitterService,
        CorrectionsQueryService,
        CorrectionProposalsService,
        CorrectionReissueService,
      ],
    };
  }
}

/** Signed with the process's own time (CLOCK_OFFSET_MS), as the tracker's reader: the authority checks the skew. */
export function createRedFormSubmitter(config: ReconcileConfig): RedFormSubmitter | null {
  if (!config.RECONCILE_AUTHORITY_LIST_ENABLED) return null;
  return new AuthorityRedFormsSubmitter(
    providerSettingsFrom(config).authority,
    clockFromOffset(config.CLOCK_OFFSET_MS),
  );
}

/** The lease outlives the call's deadline (AUTHORITY_TIMEOUT_MS) with room to record its outcome. */
export function submissionFrom(config: ReconcileConfig): CorrectionSubmissionSettings {
  const timeoutMs = providerSettingsFrom(config).authority.timeoutMs;
  return {
    enabled: config.RECONCILE_WORKERS_ENABLED,
    pollMs: config.RECONCILE_CORRECTION_POLL_MS,
    batchSize: config.RECONCILE_CORRECTION_BATCH_SIZE,
    leaseMs: Math.max(60_000, 4 * timeoutMs),
    backoffMs: 30_000,
    maxBackoffMs: config.RECONCILE_CORRECTION_PENDING_CHECK_MS,
  };
}
