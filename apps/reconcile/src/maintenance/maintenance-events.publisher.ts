import { Inject, Injectable } from '@nestjs/common';
import { buildEnvelope, MaintenanceChange, MAINTENANCE_EVENT_TYPES, toKafkaMessage, TOPICS } from '@lib/contracts';
import { KAFKA_SETTINGS, KafkaSettings, OutboxMessage, topicName } from '@lib/messaging';
import { MaintenanceWindow } from './maintenance-window.model';

/** `maintenance.changed` on reconcile.maintenance.v1 (key: the window id), built for the caller's outbox write. */
@Injectable()
export class MaintenanceEventsPublisher {
  constructor(@Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings) {}

  message(w: MaintenanceWindow, change: MaintenanceChange): OutboxMessage {
    const envelope = buildEnvelope(
      MAINTENANCE_EVENT_TYPES.changed,
      {
        windowId: w.id,
        change,
        revision: w.revision,
        state: w.state,
        target: w.target,
        startsAt: w.startsAt.toISOString(),
        endsAt: w.endsAt.toISOString(),
        reason: w.reason,
        taxNos: w.taxNos,
        cancelReason: w.cancelReason,
        actor: w.updatedBy,
        updatedAt: w.updatedAt.toISOString(),
      },
      { source: 'reconcile', occurredAt: w.updatedAt, producedAt: w.updatedAt },
    );
    const message = toKafkaMessage(envelope);
    return {
      topic: topicName(this.settings, TOPICS.reconcileMaintenance),
      key: message.key,
      eventId: envelope.id,
      eventType: envelope.type,
      payload: message.value,
      headers: message.headers,
    };
  }
}
