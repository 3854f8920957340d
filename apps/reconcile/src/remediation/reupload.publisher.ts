import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { buildEnvelope, catalogueEntry, HEADER_EVENT_ID, HEADER_EVENT_TYPE, toKafkaMessage, TOPICS } from '@lib/contracts';
import { KAFKA_SETTINGS, KafkaSettings, OutboxMessage, topicName } from '@lib/messaging';
import { ReuploadRequest } from '../findings/merge-remediation.port';
import { SqlMessages } from '../findings/pending-outbox';

export type { ReuploadRequest } from '../findings/merge-remediation.port';

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

  /**
   * The commands logged in this transaction (`logReuploads`), built by PostgreSQL straight into the outbox: a run's
   * re-upload commands are not held in Node until its end. The envelope is the one `messages` builds (pinned by
   * test/finding-events-sql.int-spec.ts). Keyed by invoice key: too many keys to list, so every bucket is locked.
   */
  sqlMessages(count: number, now: Date): SqlMessages {
    const topic = topicName(this.settings, TOPICS.syncCommands);
    const type = 'sync.reupload';
    const at = now.toISOString();
    return {
      keys: count > 0 ? 'all' : [],
      async write(m: EntityManager): Promise<number> {
        if (count === 0) return 0;
        const [row] = (await m.query(
          `WITH written AS (
           INSERT INTO outbox (topic, message_key, event_id, event_type, headers, payload)
           SELECT $1, r.invoice_key, e.id, $2, jsonb_build_object($3::text, e.id::text, $4::text, $2::text),
                  json_build_object('id', e.id, 'type', $2::text, 'version', $5::int, 'occurredAt', $6::text, 'producedAt', $6::text,
                    'source', 'reconcile', 'data', json_build_object('invoiceKey', r.invoice_key, 'target', 'authority', 'reason', r.reason,
                      'requestedBy', r.requested_by, 'attempt', r.attempt, 'findingId', r.finding_id))::text
             FROM ${REUPLOAD_LOG} r CROSS JOIN LATERAL (SELECT gen_random_uuid() AS id, r.invoice_key AS key) e
            ORDER BY r.seq
           RETURNING 1)
           SELECT COUNT(*)::int AS n FROM written`,
          [topic, type, HEADER_EVENT_ID, HEADER_EVENT_TYPE, catalogueEntry(type).version, at],
        )) as { n: number }[];
        if (row.n !== count) throw new Error(`re-upload commands: ${row.n} written, ${count} logged`);
        return row.n;
      },
    };
  }
}

/** The re-upload commands of one transaction, kept in PostgreSQL (transaction-local) until they are written. */
const REUPLOAD_LOG = 'reupload_command_log';

export async function startReuploadLog(m: EntityManager): Promise<void> {
  await m.query(`DROP TABLE IF EXISTS ${REUPLOAD_LOG}`);
  await m.query(
    `CREATE TEMP TABLE ${REUPLOAD_LOG} (seq bigserial, invoice_key text NOT NULL, attempt int NOT NULL, finding_id uuid,
       reason text NOT NULL, requested_by text NOT NULL) ON COMMIT DROP`,
  );
}

export async function logReuploads(m: EntityManager, requests: readonly ReuploadRequest[]): Promise<void> {
  if (requests.length === 0) return;
  await m.query(
    `INSERT INTO ${REUPLOAD_LOG} (invoice_key, attempt, finding_id, reason, requested_by)
     SELECT * FROM unnest($1::text[], $2::int[], $3::uuid[], $4::text[], $5::text[])`,
    [requests.map((r) => r.invoiceKey), requests.map((r) => r.attempt), requests.map((r) => r.findingId), requests.map((r) => r.reason),
      requests.map((r) => r.requestedBy)],
  );
}
