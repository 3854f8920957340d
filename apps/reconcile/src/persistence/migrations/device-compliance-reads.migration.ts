import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The devices' compliance board (`GET /v1/devices`) asks per device whether it issued invoices in the judged period
 * (the same devices CLEAR_CARD_OVERDUE judges); without this index that is a scan of the taxpayer's whole period.
 */
export class DeviceComplianceReads1766000000200 implements MigrationInterface {
  name = 'DeviceComplianceReads1766000000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'CREATE INDEX ledger_invoices_device_period ON ledger_invoices (device_id, period) WHERE device_id IS NOT NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS ledger_invoices_device_period');
  }
}
