import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets a per-invoice pull reuse a recent conclusive answer of an earlier run instead of spending the invoice's
 * 查验 quota again (docs/reconcile.md, "Sparing the 查验 quota"): each answer keeps the ledger version it was
 * asked for (`ledger_version`, a digest of the ledger row, its content versions, its red invoices and its
 * acceptances: an answer is reused only while that is unchanged), and a reused answer, copied into the run with
 * its original channel and time, says which run asked (`reused_from_run`; null: asked by this run). A found
 * record reused into `authority_staged` is marked the same way. Existing answers get no version and are never reused.
 */
export class ReuseAuthorityChecks1765000001300 implements MigrationInterface {
  name = 'ReuseAuthorityChecks1765000001300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE authority_checks ADD COLUMN ledger_version text, ADD COLUMN reused_from_run uuid',
    );
    await q.query('ALTER TABLE authority_staged ADD COLUMN reused_from_run uuid');
    // the latest earlier answer of each invoice of a page
    await q.query('CREATE INDEX authority_checks_key ON authority_checks (invoice_key, observed_at DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS authority_checks_key');
    await q.query('ALTER TABLE authority_staged DROP COLUMN IF EXISTS reused_from_run');
    await q.query(
      'ALTER TABLE authority_checks DROP COLUMN IF EXISTS ledger_version, DROP COLUMN IF EXISTS reused_from_run',
    );
  }
}
