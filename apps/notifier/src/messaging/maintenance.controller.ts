import { Controller } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TOPICS, TopicEnvelope } from '@lib/contracts';
import { OnTopic } from '@lib/platform';
import { NotifierMetrics } from '../notifications/notifier.metrics';
import { toRecordMaintenanceCommand } from '../use-cases/record-maintenance/record-maintenance.command';
import { RecordMaintenanceUseCase } from '../use-cases/record-maintenance/record-maintenance.use-case';

/** reconcile.maintenance.v1 → the notices of a maintenance window, in the inbox transaction. */
@Controller()
export class MaintenanceController {
  constructor(
    private readonly recordMaintenance: RecordMaintenanceUseCase,
    private readonly metrics: NotifierMetrics,
  ) {}

  @OnTopic(TOPICS.reconcileMaintenance)
  async onMaintenance(
    envelope: TopicEnvelope<typeof TOPICS.reconcileMaintenance>,
    manager: EntityManager,
  ): Promise<void> {
    const command = toRecordMaintenanceCommand(envelope);
    this.metrics.recorded('maintenance', await this.recordMaintenance.execute(manager, command));
  }
}
