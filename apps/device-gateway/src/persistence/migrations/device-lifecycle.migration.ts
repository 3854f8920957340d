import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Device lifecycle (docs/device-operations.md): a device is `active`, `suspended` (refused for now) or `retired`
 * (refused for good); the old `disabled` rows become `retired` and keep their disabled_at. Each device gains where it
 * is hosted (a platform target name, null on premises), why and when its status last changed, the device that
 * replaces it, the day the tax device was issued when that is older than its registration (activated_on), and when
 * its whole view was first published as `device.changed` (null: still to announce).
 * device_changes keeps every change with its actor and reason, newest first per device.
 */
export class DeviceLifecycle1763900000300 implements MigrationInterface {
  name = 'DeviceLifecycle1763900000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE devices
        ADD COLUMN hosted_on         text,
        ADD COLUMN status_reason     text,
        ADD COLUMN status_changed_at timestamptz,
        ADD COLUMN replaced_by       text,
        ADD COLUMN activated_on      date,
        ADD COLUMN announced_at      timestamptz`);
    await q.query('ALTER TABLE devices DROP CONSTRAINT IF EXISTS devices_status_check');
    await q.query(`
      UPDATE devices SET status = 'retired', status_reason = 'disabled',
             status_changed_at = COALESCE(disabled_at, updated_at)
       WHERE status = 'disabled'`);
    await q.query(
      `ALTER TABLE devices ADD CONSTRAINT devices_status_check CHECK (status IN ('active', 'suspended', 'retired'))`,
    );
    await q.query('CREATE INDEX devices_to_announce ON devices (device_id) WHERE announced_at IS NULL');

    await q.query(`
      CREATE TABLE device_changes (
        id             bigserial   PRIMARY KEY,
        device_id      text        NOT NULL REFERENCES devices (device_id),
        change         text        NOT NULL,
        status         text        NOT NULL,
        reason         text,
        actor_kind     text        NOT NULL CHECK (actor_kind IN ('person', 'service')),
        actor_subject  text        NOT NULL,
        actor_name     text        NOT NULL,
        at             timestamptz NOT NULL,
        detail         jsonb       NOT NULL DEFAULT '{}'
      )`);
    await q.query('CREATE INDEX device_changes_by_device ON device_changes (device_id, at DESC, id DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS device_changes');
    await q.query('DROP INDEX IF EXISTS devices_to_announce');
    await q.query('ALTER TABLE devices DROP CONSTRAINT IF EXISTS devices_status_check');
    // The old model knew only "refused for good": a suspended device stays refused rather than coming back.
    await q.query(`
      UPDATE devices SET status = 'disabled', disabled_at = COALESCE(disabled_at, status_changed_at, updated_at)
       WHERE status IN ('suspended', 'retired')`);
    await q.query(
      `ALTER TABLE devices ADD CONSTRAINT devices_status_check CHECK (status IN ('active', 'disabled'))`,
    );
    await q.query(`
      ALTER TABLE devices
        DROP COLUMN IF EXISTS hosted_on,
        DROP COLUMN IF EXISTS status_reason,
        DROP COLUMN IF EXISTS status_changed_at,
        DROP COLUMN IF EXISTS replaced_by,
        DROP COLUMN IF EXISTS activated_on,
        DROP COLUMN IF EXISTS announced_at`);
  }
}
