import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TOPICS, TopicEnvelope } from '@lib/contracts';
import { SyncProjectionRepository } from '../../projections/sync-projection.repository';

/** Records one delivery outcome (idempotent on the event id). */
@Injectable()
export class ProjectSyncResultUseCase {
  constructor(private readonly sync: SyncProjectionRepository) {}

  async execute(manager: EntityManager, envelope: TopicEnvelope<typeof TOPICS.syncResults>): Promise<void> {
    await this.sync.record(manager, envelope.id, envelope.data);
  }
}
