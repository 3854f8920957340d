import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { HEADER_EVENT_ID, HEADER_EVENT_TYPE } from '@lib/contracts';
import { SqlEnvelopeFrame } from '../findings/finding-transitions.repository';
import { ReuploadRequest } from '../findings/merge-remediation.port';

/** The re-upload commands of one transaction, kept in PostgreSQL (transaction-local) until they are written. */
const REUPLOAD_LOG = 'reupload_command_log';

/** The transaction's log of re-upload requests, and their commands written from it into the outbox. */
@Injectable()
export class ReuploadLogRepository {
  /** Starts (or empties) the transaction's log. */
  async start(m: EntityManager): Promise<void> {
    await m.query(`DROP TABLE IF EXISTS ${REUPLOAD_LOG}`);
    await m.query(
      `CREATE TEMP TABLE ${REUPLOAD_LOG} (seq bigserial, invoice_key text NOT NULL, attempt int NOT NULL, finding_id uuid,
         reason text NOT NULL, requested_by text NOT NULL) ON COMMIT DROP`,
    );
  }

  async log(m: EntityManager, requests: readonly ReuploadRequest[]): Promise<void> {
    if (requests.length === 0) return;
    await m.query(
      `INSERT INTO ${REUPLOAD_LOG} (invoice_key, attempt, finding_id, reason, requested_by)
       SELECT * FROM unnest($1::text[], $2::int[], $3::uuid[], $4::text[], $5::text[])`,
      [
        requests.map((r) => r.invoiceKey),
        requests.map((r) => r.attempt),
        requests.map((r) => r.findingId),
        requests.map((r) => r.reason),
        requests.map((r) => r.requestedBy),
      ],
    );
  }

  /** Writes a command per logged request into the outbox, in the order they were logged; returns how many. */
  async writeCommands(m: EntityManager, c: SqlEnvelopeFrame): Promise<number> {
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
      [c.topic, c.type, HEADER_EVENT_ID, HEADER_EVENT_TYPE, c.version, c.at],
    )) as { n: number }[];
    return row.n;
  }
}
