import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who last set a routing, as {kind, subject, name}: a person from the IdP or a service account. `updated_by` keeps the
 * name (older rows have only it, written by the admin token).
 */
export class RoutingUpdatedByActor1764000000004 implements MigrationInterface {
  name = 'RoutingUpdatedByActor1764000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE routing
        ADD COLUMN updated_by_kind    text CHECK (updated_by_kind IN ('person', 'service')),
        ADD COLUMN updated_by_subject text`);
    await q.query('CREATE INDEX IF NOT EXISTS invoices_branch ON invoices (branch_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS invoices_branch');
    await q.query('ALTER TABLE routing DROP COLUMN IF EXISTS updated_by_kind, DROP COLUMN IF EXISTS updated_by_subject');
  }
}
