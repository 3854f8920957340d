import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who last changed a device (registered, disabled, rotated its secret, set its number): a person from the IdP or a
 * service account, as {kind, subject, name}. Null on rows changed before people could call the admin API.
 */
export class AddDeviceUpdatedBy1763900000200 implements MigrationInterface {
  name = 'AddDeviceUpdatedBy1763900000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE devices
        ADD COLUMN updated_by_kind    text CHECK (updated_by_kind IN ('person', 'service')),
        ADD COLUMN updated_by_subject text,
        ADD COLUMN updated_by_name    text`);
    await q.query('CREATE INDEX devices_by_branch ON devices (branch_id, created_at, device_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS devices_by_branch');
    await q.query(
      'ALTER TABLE devices DROP COLUMN IF EXISTS updated_by_kind, DROP COLUMN IF EXISTS updated_by_subject, DROP COLUMN IF EXISTS updated_by_name',
    );
  }
}
