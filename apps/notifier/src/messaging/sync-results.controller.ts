import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@lib/contracts';
import { KafkaInboxContext } from '@lib/messaging';
import { notifierMetrics } from '../notifications/notifier.metrics';
import { toRecordSyncResultCommand } from '../use-cases/record-sync-result/record-sync-result.command';
import { RecordSyncResultUseCase } from '../use-cases/record-sync-result/record-sync-result.use-case';

/** sync.results.v1 → alerts for dead and rejected deliveries, in the inbox transaction. */
@Controller()
export class SyncResultsController {
  constructor(private readonly recordSyncResult: RecordSyncResultUseCase) {}

  @EventPattern(TOPICS.syncResults)
  async onSyncResult(@Payload() envelope: unknown, @Ctx() context: unknown): Promise<void> {
    if (!(context instanceof KafkaInboxContext))
      throw new Error('notifier handlers run on the KafkaInboxServer transport only');
    const command = toRecordSyncResultCommand(envelope);
    notifierMetrics.syncResult(command.result.outcome);
    notifierMetrics.recorded('sync', await this.recordSyncResult.execute(context.getManager(), command));
  }
}
