import { Inject, Injectable } from '@nestjs/common';
import { buildEnvelope, toKafkaMessage, TOPICS } from '@lib/contracts';
import { KAFKA_SETTINGS, KafkaSettings, OutboxMessage, topicName } from '@lib/messaging';

export interface ReuploadRequest {
  invoiceKey: string;
  attempt: number;
  findingId: string;
  requestedBy: string;
  reason: string;
}

/**
 * Asks sync to re-upload (补传) invoices to the authority: sync.commands.v1, keyed by invoice key. Builds the
 * messages only; the caller's transaction enqueues them with the rest of its messages, at its end.
 */
@Injectable()
export class ReuploadPublisher {
  constructor(@Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings) {}

  messages(requests: readonly ReuploadRequest[], now: Date): OutboxMessage[] {
    const topic = topicName(this.settings, TOPICS.syncCommands);
    return requests.map((r) => {
      const envelope = buildEnvelope(
        'sync.reupload',
        { invoiceKey: r.invoiceKey, target: 'authority', reason: r.reason, requestedBy: r.requestedBy, attempt: r.attempt, findingId: r.findingId },
        { source: 'reconcile', occurredAt: now, producedAt: now },
      );
      const message = toKafkaMessage(envelope);
      return { topic, key: message.key, eventId: envelope.id, eventType: envelope.type, payload: message.value, headers: message.headers };
    });
  }
}
