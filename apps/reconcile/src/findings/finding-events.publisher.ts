import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { buildEnvelope, catalogueEntry, FINDING_EVENT_TYPES, FindingState, HEADER_EVENT_ID, HEADER_EVENT_TYPE, toKafkaMessage, TOPICS } from '@lib/contracts';
import { INVOICE_TYPES, isInvoiceType } from '@lib/domain';
import { KAFKA_SETTINGS, KafkaSettings, OutboxMessage, topicName } from '@lib/messaging';
import { FindingRow } from './finding.model';
import { SqlMessages } from './pending-outbox';

export interface FindingTransition {
  finding: FindingRow;
  previousState: FindingState | null;
}

/** A transition remembered by id only, its event built at the end from the finding as the transaction left it. */
export interface TransitionRef {
  findingId: string;
  previousState: FindingState | null;
}

/**
 * Announces each opened or changed finding on reconcile.findings.v1 (keyed by taxNo). Builds the validated
 * messages only: the caller collects them in its transaction's PendingOutbox and enqueues them at the end.
 */
@Injectable()
export class FindingEventsPublisher {
  constructor(@Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings) {}

  messages(transitions: readonly FindingTransition[], now: Date): OutboxMessage[] {
    if (transitions.length === 0) return [];
    const topic = topicName(this.settings, TOPICS.reconcileFindings);
    return transitions.map(({ finding: f, previousState }) => {
      const invoice =
        f.invoiceNumber && f.invoiceType && isInvoiceType(f.invoiceType) ? { type: f.invoiceType, code: f.invoiceCode, number: f.invoiceNumber } : null;
      const envelope = buildEnvelope(
        'reconcile.finding-changed',
        {
          findingId: f.id,
          type: f.type,
          state: f.state,
          previousState,
          severity: f.severity,
          taxNo: f.taxNo,
          branchId: f.branchId,
          period: f.period,
          invoice,
          deviceId: f.deviceId,
          explanation: f.explanation.slice(0, 1000),
          evidence: f.evidence,
          createdAt: f.createdAt.toISOString(),
          updatedAt: f.updatedAt.toISOString(),
        },
        { source: 'reconcile', occurredAt: now, producedAt: now },
      );
      const message = toKafkaMessage(envelope);
      return { topic, key: message.key, eventId: envelope.id, eventType: envelope.type, payload: message.value, headers: message.headers };
    });
  }

  /**
   * The events of a scope's transitions (all keyed by its taxNo), built by PostgreSQL from the findings as the
   * transaction left them, straight into the outbox: a run with 50,000 transitions neither reads them back nor holds
   * their payloads. The envelope is the one `messages` builds (same fields, same defaults, explanation cut at
   * 1,000 characters), pinned by test/finding-events-sql.int-spec.ts, which parses every SQL-built message with the
   * contract. Each finding changes state at most once in a transaction, so its row at the end is its row after the
   * transition, and the events of one merge need no order among themselves (each concerns another finding; the
   * bucket locks order them after every earlier transaction's). json, not jsonb: built once and written as text.
   */
  sqlMessages(taxNo: string, now: Date): SqlMessages {
    const topic = topicName(this.settings, TOPICS.reconcileFindings);
    const type = FINDING_EVENT_TYPES.changed;
    const at = now.toISOString();
    return {
      keys: [taxNo],
      async write(m: EntityManager): Promise<number> {
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
          [topic, type, HEADER_EVENT_ID, HEADER_EVENT_TYPE, catalogueEntry(type).version, at, INVOICE_TYPES, taxNo],
        )) as { n: number; expected: number }[];
        if (row.n !== row.expected) {
          throw new Error(`finding events: ${row.expected - row.n} of ${row.expected} findings of ${taxNo} disappeared before their events were written`);
        }
        return row.n;
      },
    };
  }
}

/**
 * The transitions of one transaction, kept in PostgreSQL (transaction-local) rather than in Node until their events
 * are written (`sqlMessages`): a merge's memory stays a page's, however many findings change.
 */
const TRANSITION_LOG = 'finding_transition_log';

/** Starts (or empties) the transaction's transition log. */
export async function startTransitionLog(m: EntityManager): Promise<void> {
  await m.query(`DROP TABLE IF EXISTS ${TRANSITION_LOG}`);
  await m.query(`CREATE TEMP TABLE ${TRANSITION_LOG} (finding_id uuid NOT NULL, previous_state text) ON COMMIT DROP`);
}

export async function logTransitions(m: EntityManager, transitions: readonly TransitionRef[]): Promise<void> {
  if (transitions.length === 0) return;
  await m.query(`INSERT INTO ${TRANSITION_LOG} (finding_id, previous_state) SELECT * FROM unnest($1::uuid[], $2::text[])`, [
    transitions.map((t) => t.findingId),
    transitions.map((t) => t.previousState),
  ]);
}

/** A timestamptz as `Date.toISOString` writes it (UTC, milliseconds, `Z`). */
const ISO_UTC = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
