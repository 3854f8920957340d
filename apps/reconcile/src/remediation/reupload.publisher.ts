import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { buildEnvelope, catalogueEntry, toKafkaMessage, TOPICS } from '@lib/contracts';
import { KAFKA_SETTINGS, KafkaSettings, OutboxMessage, topicName } from '@lib/messaging';
import { ReuploadRequest } from '../findings/merge-remediation.port';
import { SqlMessages } from '../findings/pending-outbox';
import { ReuploadLogRepository } from './reupload-log.repository';

export type { ReuploadRequest } from '../findings/merge-remediation.port';

/**
 * Asks sync to re-upload (补传) invoices to the authority: sync.commands.v1, keyed by invoice key. Builds the
 * messages only; the caller's transaction enqueues them with the rest of its messages, at its end.
 */
@Injectable()
export class ReuploadPublisher {
  constructor(
    @Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings,
    private readonly log: ReuploadLogRepository,
  ) {}

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

  /**
   * The commands logged in this transaction (ReuploadLogRepository), built by PostgreSQL straight into the outbox: a run's
   * re-upload commands are not held in Node until its end. The envelope is the one `messages` builds (pinned by
   * test/finding-events-sql.int-spec.ts). Keyed by invoice key: too many keys to list, so every bucket is locked.
   */
  sqlMessages(count: number, now: Date): SqlMessages {
    const type = 'sync.reupload';
    const frame = { topic: topicName(this.settings, TOPICS.syncCommands), type, version: catalogueEntry(type).version, at: now.toISOString() };
    return {
      keys: count > 0 ? 'all' : [],
      write: async (m: EntityManager): Promise<number> => {
        if (count === 0) return 0;
        const written = await this.log.writeCommands(m, frame);
        if (written !== count) throw new Error(`re-upload commands: ${written} written, ${count} logged`);
        return written;
      },
    };
  }
}
