import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { buildEnvelope, SYNC_TARGETS, SyncOutcome, SyncTarget, toKafkaMessage, TOPICS } from '@lib/contracts';
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

/** Whether sync.result's contract (libs/contracts, read by every consumer) can name this target. */
const inContract = (target: TargetName): target is SyncTarget =>
  (SYNC_TARGETS as readonly string[]).includes(target);

/**
 * Announces final outcomes on sync.results.v1 (keyed by invoice key), through the outbox of the caller's transaction (one
 * insert). The contract names the targets its consumers know: the outcome of a registered target outside it is recorded
 * (deliveries, admin API, metrics) but not announced, since no consumer could read it; a warning says so.
 */
@Injectable()
export class SyncResultsPublisher {
  private readonly logger = new Logger('SyncResults');

  constructor(@Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings) {}

  async publish(manager: EntityManager, results: DeliveryResult[], now: Date): Promise<void> {
    const topic = topicName(this.settings, TOPICS.syncResults);
    const announced = results.filter(
      (r) => inContract(r.target) && (r.relayedVia === null || inContract(r.relayedVia)),
    );
    if (announced.length < results.length) {
      const outside = [...new Set(results.filter((r) => !announced.includes(r)).map((r) => r.target))];
      this.logger.warn(
        `${results.length - announced.length} outcome(s) of ${outside.join(', ')} not announced: sync.result's contract does not name that target`,
      );
    }
    const messages = announced.map((r) => {
      const envelope = buildEnvelope(
        'sync.result',
        {
          invoiceKey: r.invoiceKey,
          taxNo: r.taxNo,
          target: r.target as SyncTarget,
          outcome: r.outcome,
          requestId: r.serialNo,
          errorCode: r.errorCode ?? (r.outcome === 'dead' || r.outcome === 'rejected' ? 'UNKNOWN' : null),
          errorMessage: r.errorMessage?.slice(0, 1000) ?? null,
          // a relayed delivery may never have called the authority itself
          attempts: Math.max(1, r.attempts),
          targetRecordId: r.targetRecordId?.slice(0, 100) ?? null,
          relayedVia: r.relayedVia as SyncTarget | null,
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
