import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Received invoices (进项, docs/received-invoices.md): what suppliers issued to our taxpayers, registered per receiving
 * branch; every 查验 of one with the channel that answered and who asked (`received_checks`); and our own count of each
 * invoice's daily 查验 quota per channel (`received_check_quota`, a Shanghai day), taken before a call so a check the
 * service would refuse is never sent. `next_check_at` and the claim columns drive the scheduled re-check: replicas claim
 * due rows with FOR UPDATE SKIP LOCKED under a lease, so one invoice is checked by one of them.
 */
export class CreateReceivedInvoices1766000004500 implements MigrationInterface {
  name = 'CreateReceivedInvoices1766000004500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE received_invoices (
        id                 uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
        tax_no             text          NOT NULL,
        branch_id          text          NOT NULL,
        invoice_key        text          NOT NULL,
        invoice_type       text          NOT NULL,
        invoice_code       text,
        invoice_number     text          NOT NULL,
        issued_at          timestamptz   NOT NULL,
        period             text          NOT NULL,
        seller_tax_no      text          NOT NULL,
        seller_name        text          NOT NULL,
        amount             numeric(18,2) NOT NULL,
        tax_amount         numeric(18,2) NOT NULL,
        total_amount       numeric(18,2) NOT NULL,
        check_code         text,
        registered_at      timestamptz   NOT NULL,
        registered_by_kind text          NOT NULL,
        registered_by      text          NOT NULL,
        registered_by_name text          NOT NULL,
        last_result        text,
        last_channel       text,
        last_checked_at    timestamptz,
        next_check_at      timestamptz   NOT NULL,
        claimed_by         text,
        claim_until        timestamptz,
        UNIQUE (tax_no, invoice_key)
      )`);
    await q.query('CREATE INDEX received_invoices_list ON received_invoices (tax_no, registered_at DESC, id DESC)');
    await q.query('CREATE INDEX received_invoices_due ON received_invoices (next_check_at, period)');
    await q.query(`
      CREATE TABLE received_checks (
        id                  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        received_invoice_id uuid        NOT NULL REFERENCES received_invoices (id) ON DELETE CASCADE,
        checked_at          timestamptz NOT NULL,
        trigger             text        NOT NULL CHECK (trigger IN ('request', 'batch', 'recheck')),
        result              text        NOT NULL,
        channel             text,
        return_code         text,
        return_message      text,
        authority_status    text,
        attempts            jsonb       NOT NULL,
        requested_by_kind   text        NOT NULL,
        requested_by        text        NOT NULL,
        requested_by_name   text        NOT NULL
      )`);
    await q.query('CREATE INDEX received_checks_invoice ON received_checks (received_invoice_id, checked_at DESC)');
    await q.query(`
      CREATE TABLE received_check_quota (
        invoice_key text NOT NULL,
        channel     text NOT NULL,
        day         date NOT NULL,
        used        int  NOT NULL CHECK (used >= 0),
        PRIMARY KEY (invoice_key, channel, day)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS received_check_quota');
    await q.query('DROP TABLE IF EXISTS received_checks');
    await q.query('DROP TABLE IF EXISTS received_invoices');
  }
}
