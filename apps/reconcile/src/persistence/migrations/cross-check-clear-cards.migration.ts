import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The authority clear-card cross-check (docs/reconcile.md, "Clear-card status from the authority"):
 * - `device_numbers`: each device's authority number (机器编号) as its latest device event carried it (null: the
 *   gateway knows none); events without the field (older producers) leave it alone;
 * - `run_clear_card_checks`: what the authority answered about a device's clear-card for a run's period, asked
 *   before the comparison, or why it was not asked (`unknown`); the comparison joins it by (run_id, device_id).
 */
export class CrossCheckClearCards1765000001500 implements MigrationInterface {
  name = 'CrossCheckClearCards1765000001500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE device_numbers (
        device_id  text        PRIMARY KEY,
        tax_no     text        NOT NULL,
        device_no  text,
        at         timestamptz NOT NULL,
        event_id   uuid        NOT NULL
      )`);
    await q.query('CREATE INDEX device_numbers_by_tax_no ON device_numbers (tax_no, device_id)');
    await q.query(`
      CREATE TABLE run_clear_card_checks (
        run_id         uuid        NOT NULL,
        device_id      text        NOT NULL,
        device_no      text,
        status         text        CHECK (status IN ('NOT_CLEARED', 'CLEARED', 'FAILED')),
        cleared_at     text,
        error_code     text,
        error_message  text,
        unknown        text        CHECK (unknown IN ('NO_DEVICE_NUMBER', 'AUTHORITY_UNAVAILABLE', 'LIMIT_REACHED')),
        detail         text,
        checked_at     timestamptz NOT NULL,
        PRIMARY KEY (run_id, device_id),
        CHECK ((status IS NULL) <> (unknown IS NULL))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS run_clear_card_checks');
    await q.query('DROP TABLE IF EXISTS device_numbers');
  }
}
