import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@lib/contracts';
import { KafkaInboxContext } from '@lib/messaging';
import { notifierMetrics } from '../notifications/notifier.metrics';
import { toRecordMaintenanceCommand } from '../use-cases/record-maintenance/record-maintenance.command';
import { RecordMaintenanceUseCase } from '../use-cases/record-maintenance/record-maintenance.use-case';

/** reconcile.maintenance.v1 → the notices of a maintenance window, in the inbox transaction. */
@Controller()
export class MaintenanceController {
  constructor(private readonly recordMaintenance: RecordMaintenanceUseCase) {}

  @EventPattern(TOPICS.reconcileMaintenance)
  async onMaintenance(@Payload() envelope: unknown, @Ctx() context: unknown): Promise<void> {
    if (!(context instanceof KafkaInboxContext))
      throw new Error('notifier handlers run on the KafkaInboxServer transport only');
    const command = toRecordMaintenanceCommand(envelope);
    notifierMetrics.recorded('maintenance', await this.recordMaintenance.execute(context.getManager(), command));
  }
}
