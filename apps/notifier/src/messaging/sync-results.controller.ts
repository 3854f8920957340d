import { Controller } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TOPICS, TopicEnvelope } from '@lib/contracts';
import { OnTopic } from '@lib/platform';
import { NotifierMetrics } from '../notifications/notifier.metrics';
import { toRecordSyncResultCommand } from '../use-cases/record-sync-result/record-sync-result.command';
import { RecordSyncResultUseCase } from '../use-cases/record-sync-result/record-sync-result.use-case';

/** sync.results.v1 → alerts for dead and rejected deliveries, in the inbox transaction. */
@Controller()
export class SyncResultsController {
  constructor(
    private readonly recordSyncResult: RecordSyncResultUseCase,
    private readonly metrics: NotifierMetrics,
  ) {}

  @OnTopic(TOPICS.syncResults)
  async onSyncResult(
    envelope: TopicEnvelope<typeof TOPICS.syncResults>,
    manager: EntityManager,
  ): Promise<void> {
    const command = toRecordSyncResultCommand(envelope);
    this.metrics.syncResult(command.result.outcome);
    this.metrics.recorded('sync', await this.recordSyncResult.execute(manager, command));
  }
}
