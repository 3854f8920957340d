import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A correction that re-issues the invoice names the corrected re-issue (docs/corrections.md, "Re-issue"): the invoice
 * of our ledger that replaces the reversed original, given with the proposal or later by a person. The correction is
 * complete, and its finding resolved, once the red invoice and that re-issue are both at the authority.
 */
export class LinkCorrectionReissue1766000005500 implements MigrationInterface {
  name = 'LinkCorrectionReissue1766000005500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE correction_requests
        ADD COLUMN reissue_invoice_key text,
        ADD CONSTRAINT correction_requests_reissue_key CHECK (reissue_invoice_key IS NULL OR reissue)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE correction_requests
        DROP CONSTRAINT correction_requests_reissue_key,
        DROP COLUMN reissue_invoice_key`);
  }
}
