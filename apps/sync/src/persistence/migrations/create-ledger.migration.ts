import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The invoice ledger: one row per invoice (its current state and version), the raw events as received
 * (applied, parked until their invoice is known, or ignored with a reason), and the history of state
 * changes. Money is numeric(18,2), never a float.
 */
export class CreateLedger1764000000000 implements MigrationInterface {
  name = 'CreateLedger1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE invoices (
        invoice_key        text          PRIMARY KEY,
        tax_no             text          NOT NULL,
        branch_id          text          NOT NULL,
        device_id          text          NOT NULL,
        invoice_type       text          NOT NULL,
        colour             text          NOT NULL CHECK (colour IN ('blue', 'red')),
        state              text          NOT NULL CHECK (state IN ('issued', 'red_reversed', 'voided')),
        original_key       text,
        total_amount       numeric(18,2) NOT NULL,
        red_reversed_amount numeric(18,2) NOT NULL DEFAULT 0,
        reversal_applied   boolean       NOT NULL DEFAULT false,
        issued_at          timestamptz   NOT NULL,
        content_hash       text          NOT NULL,
        invoice            jsonb         NOT NULL,
        version            int           NOT NULL,
        created_at         timestamptz   NOT NULL,
        updated_at         timestamptz   NOT NULL
      )`);
    await q.query('CREATE INDEX invoices_original ON invoices (original_key) WHERE original_key IS NOT NULL');
    await q.query('CREATE INDEX invoices_tax_no ON invoices (tax_no, issued_at)');
    await q.query(`
      CREATE TABLE invoice_events (
        event_id     uuid        PRIMARY KEY,
        invoice_key  text        NOT NULL,
        kind         text        NOT NULL CHECK (kind IN ('issued', 'red-issued', 'voided')),
        status       text        NOT NULL CHECK (status IN ('applied', 'parked', 'ignored')),
        reason       text,
        occurred_at  timestamptz NOT NULL,
        received_at  timestamptz NOT NULL,
        applied_at   timestamptz,
        payload      jsonb       NOT NULL
      )`);
    await q.query('CREATE INDEX invoice_events_key ON invoice_events (invoice_key, received_at)');
    await q.query(`CREATE INDEX invoice_events_parked ON invoice_events (invoice_key) WHERE status = 'parked'`);
    await q.query(`
      CREATE TABLE invoice_history (
        invoice_key text        NOT NULL,
        version     int         NOT NULL,
        state       text        NOT NULL,
        cause       text        NOT NULL,
        event_id    uuid,
        at          timestamptz NOT NULL,
        PRIMARY KEY (invoice_key, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS invoice_history');
    await q.query('DROP TABLE IF EXISTS invoice_events');
    await q.query('DROP TABLE IF EXISTS invoices');
  }
}
