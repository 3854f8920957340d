import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a per-invoice pull learnt about each ledger invoice it asked about, with the channel that answered:
 * `found` (also staged in authority_staged), `visible`, `absent`, `pending`, `differs`, or `unchecked` with
 * its cause (QUOTA, UNAVAILABLE, NOT_APPLICABLE, ERROR). Lets the comparison tell "checked and absent" from
 * "not checked" (a per-invoice pull proves nothing about the invoices it could not check).
 */
export class CreateAuthorityChecks1765000000900 implements MigrationInterface {
  name = 'CreateAuthorityChecks1765000000900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE authority_checks (
        run_id       uuid        NOT NULL,
        invoice_key  text        NOT NULL,
        channel      text,
        outcome      text        NOT NULL CHECK (outcome IN ('found', 'visible', 'absent', 'pending', 'differs', 'unchecked')),
        status       text,
        cause        text,
        detail       text,
        observed_at  timestamptz NOT NULL,
        PRIMARY KEY (run_id, invoice_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS authority_checks');
  }
}
