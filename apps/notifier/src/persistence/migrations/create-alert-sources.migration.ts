import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS = "'alert', 'escalation', 'digest', 'test'";
const NEW_KINDS = "'sync_alert', 'dead_letters'";

/**
 * Alerts that do not come from findings: dead and rejected deliveries from sync.results.v1 (`sync_problems`, one
 * row per invoice, target, outcome and requestId; resolved by a later success) and messages seen in dead-letter
 * topics (`dead_letters`, counted per window). Their notifications get their own kinds, and a seeded rule sends
 * DEAD_LETTER alerts to group level (3) as an email per window.
 */
export class CreateAlertSources1765000000002 implements MigrationInterface {
  name = 'CreateAlertSources1765000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sync_problems (
        problem_id  text        PRIMARY KEY,
        invoice_key text        NOT NULL,
        target      text        NOT NULL,
        outcome     text        NOT NULL CHECK (outcome IN ('dead', 'rejected')),
        request_id  text        NOT NULL,
        tax_no      text        NOT NULL,
        data        jsonb       NOT NULL,
        result_at   timestamptz NOT NULL,
        resolved_at timestamptz,
        resolved_by text,
        created_at  timestamptz NOT NULL
      )`);
    await q.query(
      'CREATE INDEX sync_problems_open ON sync_problems (invoice_key, target) WHERE resolved_at IS NULL',
    );
    await q.query(`
      CREATE TABLE dead_letters (
        id               uuid        PRIMARY KEY,
        dlq_topic        text        NOT NULL,
        source_topic     text,
        source_partition integer,
        source_offset    bigint,
        consumer_group   text,
        error_code       text        NOT NULL,
        error_message    text,
        event_id         text,
        event_type       text,
        failed_at        timestamptz,
        window_start     timestamptz NOT NULL,
        received_at      timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX dead_letters_window ON dead_letters (window_start, received_at)');
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check,
                   ADD CONSTRAINT notifications_kind_check CHECK (kind IN (${KINDS}, ${NEW_KINDS}))`);
    await q.query(`
      INSERT INTO routing_rules (id, finding_type, min_severity, channels, level, mode, priority, created_at, updated_at)
      VALUES ('default-dead-letter', 'DEAD_LETTER', 'info', ARRAY['email'], 3, 'digest', 0, now(), now())
      ON CONFLICT (id) DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DELETE FROM routing_rules WHERE finding_type IN ('SYNC_DEAD', 'SYNC_REJECTED', 'DEAD_LETTER')`,
    );
    await q.query(`DELETE FROM notifications WHERE kind IN (${NEW_KINDS})`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check,
                   ADD CONSTRAINT notifications_kind_check CHECK (kind IN (${KINDS}))`);
    await q.query('DROP TABLE IF EXISTS dead_letters');
    await q.query('DROP TABLE IF EXISTS sync_problems');
  }
}
