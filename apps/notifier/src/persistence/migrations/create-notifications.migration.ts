import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notifier's view of each finding (latest state, escalation schedule) and the notifications table:
 * one row per (finding transition, recipient, channel), unique by `dedupe_key`, which is also the
 * delivery log (queued → sending → sent | failed | unknown | cancelled; low severity waits as
 * pending_digest until a digest row takes it).
 */
export class CreateNotifications1765000000001 implements MigrationInterface {
  name = 'CreateNotifications1765000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE findings (
        finding_id         text        PRIMARY KEY,
        type               text        NOT NULL,
        severity           text        NOT NULL,
        state              text        NOT NULL,
        tax_no             text        NOT NULL,
        branch_id          text,
        data               jsonb       NOT NULL,
        source_updated_at  timestamptz NOT NULL,
        escalation_level   smallint    NOT NULL DEFAULT 0,
        next_escalation_at timestamptz,
        created_at         timestamptz NOT NULL,
        updated_at         timestamptz NOT NULL
      )`);
    await q.query(
      'CREATE INDEX findings_escalation_due ON findings (next_escalation_at) WHERE next_escalation_at IS NOT NULL',
    );
    await q.query(`
      CREATE TABLE notifications (
        id                  bigserial   PRIMARY KEY,
        dedupe_key          text        NOT NULL UNIQUE,
        message_ref         text        NOT NULL UNIQUE,
        kind                text        NOT NULL CHECK (kind IN ('alert', 'escalation', 'digest', 'test')),
        channel             text        NOT NULL CHECK (channel IN ('email', 'sms')),
        recipient_id        text        REFERENCES recipients (id) ON DELETE SET NULL,
        destination         text        NOT NULL,
        language            text        NOT NULL,
        finding_id          text,
        severity            text,
        level               smallint,
        status              text        NOT NULL CHECK (status IN ('pending_digest', 'digested', 'queued', 'sending', 'sent',
                                                                   'failed', 'unknown', 'cancelled')),
        due_at              timestamptz NOT NULL,
        attempts            integer     NOT NULL DEFAULT 0,
        claims              integer     NOT NULL DEFAULT 0,
        digest_id           bigint      REFERENCES notifications (id),
        segments            smallint,
        provider            text,
        provider_message_id text,
        provider_response   text,
        last_error_code     text,
        last_error          text,
        created_at          timestamptz NOT NULL,
        updated_at          timestamptz NOT NULL,
        sent_at             timestamptz
      )`);
    await q.query(
      `CREATE INDEX notifications_due ON notifications (channel, due_at) WHERE status IN ('queued', 'sending')`,
    );
    await q.query(
      `CREATE INDEX notifications_digest ON notifications (recipient_id, created_at) WHERE status = 'pending_digest'`,
    );
    await q.query('CREATE INDEX notifications_finding ON notifications (finding_id, id)');
    await q.query(
      'CREATE INDEX notifications_rate ON notifications (recipient_id, channel, sent_at) WHERE sent_at IS NOT NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS notifications');
    await q.query('DROP TABLE IF EXISTS findings');
  }
}
