import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@lib/contracts';
import { KafkaInboxContext } from '@lib/messaging';
import { notifierMetrics } from '../notifications/notifier.metrics';
import { toRecordFindingCommand } from '../use-cases/record-finding/record-finding.command';
import { RecordFindingUseCase } from '../use-cases/record-finding/record-finding.use-case';

/** reconcile.findings.v1 → queued notifications, in the inbox transaction (the offset commits after it). */
@Controller()
export class FindingsController {
  constructor(private readonly recordFinding: RecordFindingUseCase) {}

  @EventPattern(TOPICS.reconcileFindings)
  async onFindingChanged(@Payload() envelope: unknown, @Ctx() context: unknown): Promise<void> {
    if (!(context instanceof KafkaInboxContext))
      throw new Error('notifier handlers run on the KafkaInboxServer transport only');
    notifierMetrics.recorded(
      'finding',
      await this.recordFinding.execute(context.getManager(), toRecordFindingCommand(envelope)),
    );
  }
}
