import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `device_registry`: the gateway's registry as `device.changed` tells it (issue 15), the newest view of each device by
 * `changed_at` (then the envelope's `produced_at`). It puts into a scope's devices the ones that must report and clear
 * even when they sent nothing (registered and active before the period's end: `began_at`, the day the tax device was
 * issued when given, else its registration), and takes out the suspended and retired ones.
 *
 * `device_report_periods`: that a device did its 抄报 for a period, and when (the newest report), even when it
 * reported no invoice at all (device_reports keeps the totals per invoice type, and has no row for an empty month).
 * Filled from device_reports for the reports projected before.
 *
 * `device_clear_cards.remote_target`: the platform that ran a clear-card remotely (a hosted device), null when the
 * device did it itself, so that a failed remote clear-card says the product ran it.
 */
export class DeviceRegistry1766000000400 implements MigrationInterface {
  name = 'DeviceRegistry1766000000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE device_registry (
        device_id     text        PRIMARY KEY,
        tax_no        text        NOT NULL,
        branch_id     text        NOT NULL,
        device_name   text,
        device_no     text,
        status        text        NOT NULL CHECK (status IN ('active', 'suspended', 'retired')),
        hosted_on     text,
        registered_at timestamptz NOT NULL,
        activated_on  date,
        began_at      timestamptz NOT NULL,
        change        text        NOT NULL,
        changed_at    timestamptz NOT NULL,
        produced_at   timestamptz NOT NULL,
        event_id      uuid        NOT NULL
      )`);
    await q.query('CREATE INDEX device_registry_tax_no ON device_registry (tax_no, status)');
    await q.query(`
      CREATE TABLE device_report_periods (
        device_id   text        NOT NULL,
        period      text        NOT NULL,
        tax_no      text        NOT NULL,
        branch_id   text        NOT NULL,
        reported_at timestamptz NOT NULL,
        event_id    uuid        NOT NULL,
        PRIMARY KEY (device_id, period)
      )`);
    await q.query('CREATE INDEX device_report_periods_tax_no ON device_report_periods (tax_no, period)');
    await q.query(`
      INSERT INTO device_report_periods (device_id, period, tax_no, branch_id, reported_at, event_id)
      SELECT DISTINCT ON (device_id, period) device_id, period, tax_no, branch_id, reported_at, event_id
        FROM device_reports ORDER BY device_id, period, reported_at DESC`);
    await q.query('ALTER TABLE device_clear_cards ADD COLUMN remote_target text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE device_clear_cards DROP COLUMN IF EXISTS remote_target');
    await q.query('DROP TABLE IF EXISTS device_report_periods');
    await q.query('DROP TABLE IF EXISTS device_registry');
  }
}
