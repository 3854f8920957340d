import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One delivery per (invoice, event kind, target), with its due time: workers claim due rows with
 * FOR UPDATE SKIP LOCKED, so retries are scheduled here and never inside a Kafka consumer. Every
 * call to a target is kept in delivery_attempts.
 */
export class CreateDeliveries1764000000001 implements MigrationInterface {
  name = 'CreateDeliveries1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE deliveries (
        id               bigserial   PRIMARY KEY,
        invoice_key      text        NOT NULL,
        event_kind       text        NOT NULL CHECK (event_kind IN ('issued', 'red-issued', 'voided')),
        target           text        NOT NULL CHECK (target IN ('authority', 'baiwang', 'nuonuo')),
        tax_no           text        NOT NULL,
        status           text        NOT NULL
                           CHECK (status IN ('pending', 'sending', 'accepted', 'rejected', 'dead', 'relayed')),
        -- why a pending delivery is not due: 'predecessor' (its invoice's issue is not delivered yet) or 'relay'
        waiting_for      text        CHECK (waiting_for IN ('predecessor', 'relay')),
        depends_on_key   text,
        serial_no        text        NOT NULL UNIQUE,
        generation       int         NOT NULL DEFAULT 1,
        attempts         int         NOT NULL DEFAULT 0,
        -- incremented by every claim: an outcome is recorded only by the claim that still owns the row
        claims           int         NOT NULL DEFAULT 0,
        polls            int         NOT NULL DEFAULT 0,
        due_at           timestamptz,
        needs_lookup     boolean     NOT NULL DEFAULT false,
        pending_since    timestamptz,
        relay_via        text        CHECK (relay_via IN ('baiwang', 'nuonuo')),
        target_record_id text,
        last_error_code  text,
        last_error_message text,
        reopened_by      text,
        reopen_attempt   int         NOT NULL DEFAULT 0,
        created_at       timestamptz NOT NULL,
        updated_at       timestamptz NOT NULL,
        completed_at     timestamptz,
        UNIQUE (invoice_key, event_kind, target)
      )`);
    await q.query('CREATE INDEX deliveries_due ON deliveries (target, due_at) WHERE due_at IS NOT NULL');
    await q.query(
      `CREATE INDEX deliveries_waiting ON deliveries (depends_on_key, target) WHERE waiting_for = 'predecessor'`,
    );
    await q.query(`CREATE INDEX deliveries_open ON deliveries (target, status) WHERE status IN ('pending', 'sending')`);
    await q.query(`CREATE INDEX deliveries_dead ON deliveries (status, updated_at) WHERE status IN ('dead', 'rejected')`);
    await q.query(`
      CREATE TABLE delivery_attempts (
        id            bigserial   PRIMARY KEY,
        delivery_id   bigint      NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
        attempt_no    int         NOT NULL,
        action        text        NOT NULL CHECK (action IN ('upload', 'lookup', 'relay')),
        target        text        NOT NULL,
        serial_no     text        NOT NULL,
        outcome       text        NOT NULL,
        error_code    text,
        error_message text,
        target_record_id text,
        retry_after_ms int,
        started_at    timestamptz NOT NULL,
        latency_ms    int         NOT NULL
      )`);
    await q.query('CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS delivery_attempts');
    await q.query('DROP TABLE IF EXISTS deliveries');
  }
}
