import { Controller } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TOPICS, TopicEnvelope } from '@lib/contracts';
import { OnTopic } from '@lib/platform';
import { NotifierMetrics } from '../notifications/notifier.metrics';
import { toRecordFindingCommand } from '../use-cases/record-finding/record-finding.command';
import { RecordFindingUseCase } from '../use-cases/record-finding/record-finding.use-case';

/** reconcile.findings.v1 → queued notifications, in the inbox transaction (the offset commits after it). */
@Controller()
export class FindingsController {
  constructor(
    private readonly recordFinding: RecordFindingUseCase,
    private readonly metrics: NotifierMetrics,
  ) {}

  @OnTopic(TOPICS.reconcileFindings)
  async onFindingChanged(
    envelope: TopicEnvelope<typeof TOPICS.reconcileFindings>,
    manager: EntityManager,
  ): Promise<void> {
    this.metrics.recorded(
      'finding',
      await this.recordFinding.execute(manager, toRecordFindingCommand(envelope)),
    );
  }
}
