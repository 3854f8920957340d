import { Controller } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TOPICS, TopicEnvelope } from '@lib/contracts';
import { OnTopic } from '@lib/platform';
import { notifierMetrics } from '../notifications/notifier.metrics';
import { toRecordMaintenanceCommand } from '../use-cases/record-maintenance/record-maintenance.command';
import { RecordMaintenanceUseCase } from '../use-cases/record-maintenance/record-maintenance.use-case';

/** reconcile.maintenance.v1 → the notices of a maintenance window, in the inbox transaction. */
@Controller()
export class MaintenanceController {
  constructor(private readonly recordMaintenance: RecordMaintenanceUseCase) {}

  @OnTopic(TOPICS.reconcileMaintenance)
  async onMaintenance(
    envelope: TopicEnvelope<typeof TOPICS.reconcileMaintenance>,
    manager: EntityManager,
  ): Promise<void> {
    const command = toRecordMaintenanceCommand(envelope);
    notifierMetrics.recorded('maintenance', await this.recordMaintenance.execute(manager, command));
  }
}
