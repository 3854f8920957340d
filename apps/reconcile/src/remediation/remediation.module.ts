import { Module } from '@nestjs/common';
import { FindingsModule } from '../findings/findings.module';
import { ReconcileConfig } from '../reconcile.config';
import { RECONCILE_CONFIG } from '../reconcile.tokens';
import { CorrectionRequestsRepository } from './correction-requests.repository';
import { CorrectionTrackerService } from './correction-tracker.service';
import { correctionTrackingFrom, createRedFormReader } from './correction-tracking.factory';
import { FindingsRemediation } from './merge-remediation';
import { CORRECTION_TRACKING, RED_FORM_READER } from './red-form.port';
import { RemediationRepository } from './remediation.repository';
import { ReuploadLogRepository } from './reupload-log.repository';
import { ReuploadPublisher } from './reupload.publisher';

/** What findings lead to: re-uploads, back-fill, correction requests, and the tracking of red-letter forms. */
@Module({
  imports: [FindingsModule],
  providers: [
    {
      provide: RED_FORM_READER,
      useFactory: (config: ReconcileConfig) => createRedFormReader(config),
      inject: [RECONCILE_CONFIG],
    },
    {
      provide: CORRECTION_TRACKING,
      useFactory: (config: ReconcileConfig) => correctionTrackingFrom(config),
      inject: [RECONCILE_CONFIG],
    },
    ReuploadLogRepository,
    ReuploadPublisher,
    RemediationRepository,
    FindingsRemediation,
    CorrectionRequestsRepository,
    CorrectionTrackerService,
  ],
  exports: [FindingsRemediation, ReuploadPublisher, CorrectionRequestsRepository, CORRECTION_TRACKING],
})
export class RemediationModule {}
