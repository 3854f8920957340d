import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { buildEnvelope, SyncOutcome, toKafkaMessage, TOPICS } from '@lib/contracts';
import { enqueueOutbox, KAFKA_SETTINGS, KafkaSettings, topicName } from '@lib/messaging';
import { TargetName } from '@lib/providers';

export interface DeliveryResult {
  invoiceKey: string;
  taxNo: string;
  target: TargetName;
  outcome: SyncOutcome;
  serialNo: string;
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  targetRecordId: string | null;
  relayedVia: TargetName | null;
  /** When the outcome was reached (defaults to the publishing transaction's time). */
  at?: Date;
}

/**
 * Announces final outcomes on sync.results.v1 (keyed by invoice key), through the outbox of the caller's transaction (one
 * insert), for every registered target: the contract takes any target name.
 */
@Injectable()
export class SyncResultsPublisher {
  constructor(@Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings) {}

  async publish(manager: EntityManager, results: DeliveryResult[], now: Date): Promise<void> {
    const topic = topicName(this.settings, TOPICS.syncResults);
    const messages = results.map((r) => {
      const envelope = buildEnvelope(
        'sync.result',
        {
          invoiceKey: r.invoiceKey,
          taxNo: r.taxNo,
          target: r.target,
          outcome: r.outcome,
          requestId: r.serialNo,
          errorCode: r.errorCode ?? (r.outcome === 'dead' || r.outcome === 'rejected' ? 'UNKNOWN' : null),
          errorMessage: r.errorMessage?.slice(0, 1000) ?? null,
          // a relayed delivery may never have called the authority itself
          attempts: Math.max(1, r.attempts),
          targetRecordId: r.targetRecordId?.slice(0, 100) ?? null,
          relayedVia: r.relayedVia,
          at: (r.at ?? now).toISOString(),
        },
        { source: 'sync', occurredAt: r.at ?? now, producedAt: now },
      );
      const message = toKafkaMessage(envelope);
      return {
        topic,
        key: message.key,
        eventId: envelope.id,
        eventType: envelope.type,
        payload: message.value,
        headers: message.headers,
      };
    });
    await enqueueOutbox(manager, messages);
  }
}
