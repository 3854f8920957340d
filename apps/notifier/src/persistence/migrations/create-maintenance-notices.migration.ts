import { MigrationInterface, QueryRunner } from 'typeorm';

const OLD_KINDS = "'alert', 'escalation', 'digest', 'test', 'sync_alert', 'dead_letters'";
const NEW_KINDS = "'maintenance_announced', 'maintenance_changed', 'maintenance_reminder', 'maintenance_ended', 'maintenance_cancelled'";

/**
 * Maintenance notices (docs/maintenance.md): the windows as reconcile last announced them (`maintenance.changed`, one
 * row per window, its latest revision), and the notification kinds that tell recipients about them.
 */
export class CreateMaintenanceNotices1766000004000 implements MigrationInterface {
  name = 'CreateMaintenanceNotices1766000004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE maintenance_windows (
        window_id  uuid        PRIMARY KEY,
        revision   int         NOT NULL,
        data       jsonb       NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check,
                   ADD CONSTRAINT notifications_kind_check CHECK (kind IN (${OLD_KINDS}, ${NEW_KINDS}))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notifications WHERE kind IN (${NEW_KINDS})`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check,
                   ADD CONSTRAINT notifications_kind_check CHECK (kind IN (${OLD_KINDS}))`);
    await q.query('DROP TABLE maintenance_windows');
  }
}
