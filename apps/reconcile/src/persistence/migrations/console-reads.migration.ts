import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the finance console needs from reconcile (PRODUCT.md, "Console and people"):
 * - a history entry's actor as a whole (`actor_kind`, `actor` the subject, `actor_name`): a person is named by the IdP,
 *   a service account or reconcile itself by its name. Rows written before were all machines: kind 'service', name = subject;
 * - the buyer on the ledger projection, for the invoice search (filled by events from now on, null on older rows);
 * - indexes for keyset pages within a branch scope: every finding by (created_at, id); a clerk's branches by
 *   (branch_id, created_at, id); a taxpayer by (tax_no, created_at, id) without a period; the open ones for the overview;
 *   an invoice number; the ledger's search order (issued_at, invoice_key), whole and per branch; runs newest first.
 */
export class ConsoleReads1766000000100 implements MigrationInterface {
  name = 'ConsoleReads1766000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE finding_history
      ADD COLUMN actor_kind text NOT NULL DEFAULT 'service' CHECK (actor_kind IN ('person', 'service')),
      ADD COLUMN actor_name text`);
    await q.query('UPDATE finding_history SET actor_name = actor WHERE actor_name IS NULL');
    await q.query('ALTER TABLE finding_history ALTER COLUMN actor_name SET NOT NULL');
    await q.query('ALTER TABLE ledger_invoices ADD COLUMN buyer_tax_no text, ADD COLUMN buyer_name text');
    await q.query('CREATE INDEX findings_newest ON findings (created_at, id)');
    await q.query('CREATE INDEX findings_branch ON findings (branch_id, created_at, id)');
    await q.query('CREATE INDEX findings_tax_no ON findings (tax_no, created_at, id)');
    await q.query(
      `CREATE INDEX findings_open ON findings (branch_id, tax_no, period) WHERE state IN ('open', 'remediating', 'escalated')`,
    );
    await q.query(
      'CREATE INDEX findings_invoice_number ON findings (invoice_number) WHERE invoice_number IS NOT NULL',
    );
    await q.query('CREATE INDEX ledger_invoices_issued ON ledger_invoices (issued_at, invoice_key)');
    await q.query(
      'CREATE INDEX ledger_invoices_branch ON ledger_invoices (branch_id, issued_at, invoice_key)',
    );
    await q.query('CREATE INDEX ledger_invoices_number ON ledger_invoices (invoice_number)');
    await q.query('CREATE INDEX reconcile_runs_newest ON reconcile_runs (created_at, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of [
      'reconcile_runs_newest',
      'ledger_invoices_number',
      'ledger_invoices_branch',
      'ledger_invoices_issued',
      'findings_invoice_number',
      'findings_open',
      'findings_tax_no',
      'findings_branch',
      'findings_newest',
    ])
      await q.query(`DROP INDEX IF EXISTS ${index}`);
    await q.query(
      'ALTER TABLE ledger_invoices DROP COLUMN IF EXISTS buyer_name, DROP COLUMN IF EXISTS buyer_tax_no',
    );
    await q.query(
      'ALTER TABLE finding_history DROP COLUMN IF EXISTS actor_name, DROP COLUMN IF EXISTS actor_kind',
    );
  }
}
