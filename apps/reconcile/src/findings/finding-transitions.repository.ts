import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FindingState, HEADER_EVENT_ID, HEADER_EVENT_TYPE } from '@lib/contracts';
import { INVOICE_TYPES } from '@lib/domain';

/** A transition remembered by id only, its event built at the end from the finding as the transaction left it. */
export interface TransitionRef {
  findingId: string;
  previousState: FindingState | null;
}

/** What a message built in SQL says besides its data: where it goes, its envelope's type and version, and when. */
export interface SqlEnvelopeFrame {
  topic: string;
  type: string;
  version: number;
  /** occurredAt and producedAt, as `Date.toISOString` writes them. */
  at: string;
}

/**
 * The transitions of one transaction, kept in PostgreSQL (transaction-local) rather than in Node until their events
 * are written (FindingEventsPublisher.sqlMessages): a merge's memory stays a page's, however many findings change.
 */
const TRANSITION_LOG = 'finding_transition_log';

/** A timestamptz as `Date.toISOString` writes it (UTC, milliseconds, `Z`). */
const ISO_UTC = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The transaction's log of finding transitions, and their finding-changed events written from it into the outbox. */
@Injectable()
export class FindingTransitionsRepository {
  /** Starts (or empties) the transaction's transition log. */
  async start(m: EntityManager): Promise<void> {
    await m.query(`DROP TABLE IF EXISTS ${TRANSITION_LOG}`);
    await m.query(
      `CREATE TEMP TABLE ${TRANSITION_LOG} (finding_id uuid NOT NULL, previous_state text) ON COMMIT DROP`,
    );
  }

  async log(m: EntityManager, transitions: readonly TransitionRef[]): Promise<void> {
    if (transitions.length === 0) return;
    await m.query(
      `INSERT INTO ${TRANSITION_LOG} (finding_id, previous_state) SELECT * FROM unnest($1::uuid[], $2::text[])`,
      [transitions.map((t) => t.findingId), transitions.map((t) => t.previousState)],
    );
  }

  /**
   * Writes the event of every logged transition of `taxNo`'s findings into the outbox, built from the finding as the
   * transaction left it; returns how many it wrote and how many were logged (fewer written: findings disappeared).
   */
  async writeEvents(
    m: EntityManager,
    taxNo: string,
    e: SqlEnvelopeFrame,
  ): Promise<{ written: number; logged: number }> {
    const [row] = (await m.query(
      `WITH written AS (
       INSERT INTO outbox (topic, message_key, event_id, event_type, headers, payload)
       SELECT $1, f.tax_no, e.id, $2, jsonb_build_object($3::text, e.id::text, $4::text, $2::text),
              json_build_object('id', e.id, 'type', $2::text, 'version', $5::int, 'occurredAt', $6::text, 'producedAt', $6::text,
                'source', 'reconcile', 'data', json_build_object(
                  'findingId', f.id, 'type', f.type, 'state', f.state, 'previousState', t.previous_state, 'severity', f.severity,
                  'taxNo', f.tax_no, 'branchId', f.branch_id, 'period', f.period,
                  'invoice', CASE WHEN f.invoice_number IS NOT NULL AND f.invoice_type = ANY($7::text[])
                                  THEN json_build_object('type', f.invoice_type, 'code', f.invoice_code, 'number', f.invoice_number) END,
                  'deviceId', f.device_id, 'explanation', left(f.explanation, 1000), 'evidence', f.evidence,
                  'createdAt', ${ISO_UTC('f.created_at')}, 'updatedAt', ${ISO_UTC('f.updated_at')}))::text
         FROM ${TRANSITION_LOG} t
         JOIN findings f ON f.id = t.finding_id AND f.tax_no = $8
         CROSS JOIN LATERAL (SELECT gen_random_uuid() AS id, t.finding_id AS finding) e
       RETURNING 1)
       SELECT (SELECT COUNT(*)::int FROM written) AS n, (SELECT COUNT(*)::int FROM ${TRANSITION_LOG}) AS expected`,
      [e.topic, e.type, HEADER_EVENT_ID, HEADER_EVENT_TYPE, e.version, e.at, INVOICE_TYPES, taxNo],
    )) as { n: number; expected: number }[];
    return { written: row.n, logged: row.expected };
  }
}
