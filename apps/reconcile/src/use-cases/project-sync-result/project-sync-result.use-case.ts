import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TOPICS } from '@lib/contracts';
import { decodeEnvelope } from '../../messaging/envelope';
import { SyncProjectionRepository } from '../../projections/sync-projection.repository';

/** Records one delivery outcome (idempotent on the event id). */
@Injectable()
export class ProjectSyncResultUseCase {
  constructor(private readonly sync: SyncProjectionRepository) {}

  async execute(manager: EntityManager, raw: unknown): Promise<void> {
    const envelope = decodeEnvelope(TOPICS.syncResults, raw);
    await this.sync.record(manager, envelope.id, envelope.data);
  }
}
