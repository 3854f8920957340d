import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { buildEnvelope, toKafkaMessage, TOPICS } from '@lib/contracts';
import { enqueueOutbox, KAFKA_SETTINGS, KafkaSettings, topicName } from '@lib/messaging';

export interface ReuploadRequest {
  invoiceKey: string;
  attempt: number;
  findingId: string;
  requestedBy: string;
  reason: string;
}

/** Asks sync to re-upload (补传) invoices to the authority: sync.commands.v1, keyed by invoice key, through the outbox. */
@Injectable()
export class ReuploadPublisher {
  constructor(@Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings) {}

  async publish(m: EntityManager, requests: ReuploadRequest[], now: Date): Promise<void> {
    const topic = topicName(this.settings, TOPICS.syncCommands);
    await enqueueOutbox(
      m,
      requests.map((r) => {
        const envelope = buildEnvelope(
          'sync.reupload',
          { invoiceKey: r.invoiceKey, target: 'authority', reason: r.reason, requestedBy: r.requestedBy, attempt: r.attempt, findingId: r.findingId },
          { source: 'reconcile', occurredAt: now, producedAt: now },
        );
        const message = toKafkaMessage(envelope);
        return { topic, key: message.key, eventId: envelope.id, eventType: envelope.type, payload: message.value, headers: message.headers };
      }),
    );
  }
}
