import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MergeRemediation, ReuploadRequest } from '../findings/merge-remediation.port';
import { SqlMessages } from '../findings/pending-outbox';
import { RemediationRepository } from './remediation.repository';
import { ReuploadLogRepository } from './reupload-log.repository';
import { ReuploadPublisher } from './reupload.publisher';

/** Remediation as the findings merge uses it (findings/merge-remediation.port.ts): re-uploads, back-fill, corrections. */
@Injectable()
export class FindingsRemediation implements MergeRemediation {
  constructor(
    private readonly repository: RemediationRepository,
    private readonly reuploads: ReuploadPublisher,
    private readonly reuploadLog: ReuploadLogRepository,
  ) {}

  startReuploads(m: EntityManager): Promise<void> {
    return this.reuploadLog.start(m);
  }

  logReuploads(m: EntityManager, requests: readonly ReuploadRequest[]): Promise<void> {
    return this.reuploadLog.log(m, requests);
  }

  backfill(m: EntityManager, runId: string, taxNo: string, period: string, now: Date): Promise<number> {
    return this.repository.backfill(m, runId, taxNo, period, now);
  }

  requestCorrections(m: EntityManager, runId: string, now: Date): Promise<void> {
    return this.repository.requestCorrections(m, runId, now);
  }

  reuploadMessages(count: number, now: Date): SqlMessages {
    return this.reuploads.sqlMessages(count, now);
  }
}
