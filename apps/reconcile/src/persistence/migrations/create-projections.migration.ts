import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reconcile's own view of the world, fed by Kafka: the ledger (invoice.events.v1), every content
 * version of each invoice (to detect conflicting duplicates), sync's deliveries (sync.results.v1) and
 * the devices' clear-card, 抄报 and monitor reports (device.events.v1). Money is numeric(18,2).
 */
export class CreateProjections1765000000000 implements MigrationInterface {
  name = 'CreateProjections1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_invoices (
        invoice_key   text          PRIMARY KEY,
        tax_no        text          NOT NULL,
        branch_id     text,
        device_id     text,
        period        text          NOT NULL,
        invoice_type  text          NOT NULL,
        invoice_code  text,
        invoice_number text         NOT NULL,
        colour        text          NOT NULL CHECK (colour IN ('blue', 'red')),
        state         text          NOT NULL CHECK (state IN ('issued', 'voided', 'red_reversed')),
        original_key  text,
        amount        numeric(18,2) NOT NULL,
        tax_amount    numeric(18,2) NOT NULL,
        total_amount  numeric(18,2) NOT NULL,
        red_reversed_amount numeric(18,2) NOT NULL DEFAULT 0,
        issued_at     timestamptz   NOT NULL,
        received_at   timestamptz,
        source        text          NOT NULL CHECK (source IN ('ledger', 'authority')),
        backfill_run_id uuid,
        confirmed_at  timestamptz,
        confirmed_by  text,
        updated_at    timestamptz   NOT NULL
      )`);
    await q.query('CREATE INDEX ledger_invoices_scope ON ledger_invoices (tax_no, period, invoice_key)');
    await q.query('CREATE INDEX ledger_invoices_original ON ledger_invoices (original_key) WHERE original_key IS NOT NULL');
    await q.query(`
      CREATE TABLE ledger_invoice_versions (
        invoice_key   text          NOT NULL,
        content_hash  text          NOT NULL,
        amount        numeric(18,2) NOT NULL,
        tax_amount    numeric(18,2) NOT NULL,
        total_amount  numeric(18,2) NOT NULL,
        first_event_id uuid         NOT NULL,
        seen_at       timestamptz   NOT NULL,
        PRIMARY KEY (invoice_key, content_hash)
      )`);
    await q.query(`
      CREATE TABLE ledger_events (
        event_id     uuid        PRIMARY KEY,
        invoice_key  text        NOT NULL,
        kind         text        NOT NULL,
        occurred_at  timestamptz NOT NULL,
        received_at  timestamptz NOT NULL,
        summary      jsonb       NOT NULL
      )`);
    await q.query('CREATE INDEX ledger_events_key ON ledger_events (invoice_key, occurred_at)');
    await q.query(`
      CREATE TABLE sync_deliveries (
        invoice_key  text        NOT NULL,
        target       text        NOT NULL,
        outcome      text        NOT NULL,
        relayed_via  text,
        error_code   text,
        error_message text,
        attempts     int         NOT NULL,
        first_accepted_at timestamptz,
        last_accepted_at  timestamptz,
        at           timestamptz NOT NULL,
        PRIMARY KEY (invoice_key, target)
      )`);
    await q.query(`
      CREATE TABLE sync_result_log (
        event_id     uuid        PRIMARY KEY,
        invoice_key  text        NOT NULL,
        target       text        NOT NULL,
        outcome      text        NOT NULL,
        at           timestamptz NOT NULL,
        payload      jsonb       NOT NULL
      )`);
    await q.query('CREATE INDEX sync_result_log_key ON sync_result_log (invoice_key, at)');
    await q.query(`
      CREATE TABLE device_clear_cards (
        device_id    text        NOT NULL,
        period       text        NOT NULL,
        tax_no       text        NOT NULL,
        branch_id    text        NOT NULL,
        status       text        NOT NULL CHECK (status IN ('succeeded', 'failed')),
        succeeded_at timestamptz,
        at           timestamptz NOT NULL,
        error_code   text,
        error_message text,
        event_id     uuid        NOT NULL,
        PRIMARY KEY (device_id, period)
      )`);
    await q.query(`
      CREATE TABLE device_reports (
        device_id    text          NOT NULL,
        period       text          NOT NULL,
        invoice_type text          NOT NULL,
        tax_no       text          NOT NULL,
        branch_id    text          NOT NULL,
        invoice_count int          NOT NULL,
        amount       numeric(18,2) NOT NULL,
        tax_amount   numeric(18,2) NOT NULL,
        event_id     uuid          NOT NULL,
        reported_at  timestamptz   NOT NULL,
        PRIMARY KEY (device_id, period, invoice_type)
      )`);
    await q.query(`
      CREATE TABLE device_monitors (
        device_id    text          PRIMARY KEY,
        tax_no       text          NOT NULL,
        branch_id    text          NOT NULL,
        at           timestamptz   NOT NULL,
        lock_date    date          NOT NULL,
        offline_since timestamptz,
        offline_amount numeric(18,2) NOT NULL,
        offline_amount_limit numeric(18,2) NOT NULL,
        offline_hours_limit int    NOT NULL,
        first_seen_at timestamptz  NOT NULL,
        event_id     uuid          NOT NULL
      )`);
    await q.query('CREATE INDEX device_monitors_tax_no ON device_monitors (tax_no)');
    await q.query('CREATE INDEX device_clear_cards_tax_no ON device_clear_cards (tax_no, period)');
    await q.query('CREATE INDEX device_reports_tax_no ON device_reports (tax_no, period)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'device_monitors',
      'device_reports',
      'device_clear_cards',
      'sync_result_log',
      'sync_deliveries',
      'ledger_events',
      'ledger_invoice_versions',
      'ledger_invoices',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
