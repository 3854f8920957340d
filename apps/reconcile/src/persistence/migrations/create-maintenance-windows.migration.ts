import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Maintenance windows (docs/maintenance.md): ours, the authority's or a platform's, announced by an admin. A row is the
 * window as it is now; `revision` grows with every change (the event `maintenance.changed` carries it), and each
 * change is in the platform's audit log with who made it. `tax_nos` null: every taxpayer.
 */
export class CreateMaintenanceWindows1766000004000 implements MigrationInterface {
  name = 'CreateMaintenanceWindows1766000004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE maintenance_windows (
        id                 uuid        PRIMARY KEY,
        target             text        NOT NULL CHECK (target IN ('product', 'authority', 'baiwang', 'nuonuo')),
        starts_at          timestamptz NOT NULL,
        ends_at            timestamptz NOT NULL,
        reason             text        NOT NULL,
        tax_nos            text[],
        state              text        NOT NULL CHECK (state IN ('scheduled', 'cancelled')),
        revision           int         NOT NULL CHECK (revision >= 1),
        cancel_reason      text,
        created_by_kind    text        NOT NULL CHECK (created_by_kind IN ('person', 'service')),
        created_by_subject text        NOT NULL,
        created_by_name    text        NOT NULL,
        created_at         timestamptz NOT NULL,
        updated_by_kind    text        NOT NULL CHECK (updated_by_kind IN ('person', 'service')),
        updated_by_subject text        NOT NULL,
        updated_by_name    text        NOT NULL,
        updated_at         timestamptz NOT NULL,
        CHECK (ends_at > starts_at),
        CHECK ((state = 'cancelled') = (cancel_reason IS NOT NULL))
      )`);
    // The comparison asks for the scheduled windows whose hold (end + grace) has not passed.
    await q.query(`CREATE INDEX maintenance_windows_scheduled ON maintenance_windows (ends_at) WHERE state = 'scheduled'`);
    await q.query(`CREATE INDEX maintenance_windows_listed ON maintenance_windows (starts_at DESC, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE maintenance_windows');
  }
}
