import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Guided device resets, 清盘 / 重置 (docs/device-operations.md, "Guided reset"):
 * - `device_resets`: one reset of one device, its mode and the step it is at (`state`: the next step to perform, then
 *   `verified`, `closed` or `cancelled`); at most one open reset per device (a partial unique index). `step_in_progress`
 *   and `step_started_at` claim the reset while a step calls the gateway; `replacement_requested_at` says a replacement
 *   device may have been registered (an answer lost on the way), so a repeat looks it up before registering again;
 * - `device_reset_steps`: every attempt of every step, succeeded or failed, with its detail and who did it;
 * - `device_reset_backup_invoices`: the backup as downloaded, one CSV line per ledger invoice, so that a later download
 *   gives the same bytes (the recorded SHA-256) and `verify` knows which invoices the ledger must still hold.
 */
export class CreateDeviceResets1766000001000 implements MigrationInterface {
  name = 'CreateDeviceResets1766000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE device_resets (
        id                       uuid        PRIMARY KEY,
        device_id                text        NOT NULL,
        device_name              text        NOT NULL,
        tax_no                   text        NOT NULL,
        branch_id                text        NOT NULL,
        mode                     text        NOT NULL CHECK (mode IN ('rotate', 'replace')),
        reason                   text        NOT NULL,
        state                    text        NOT NULL CHECK (state IN
                                   ('backup', 'suspend', 'rekey', 'resync', 'verify', 'verified', 'closed', 'cancelled')),
        replacement_device_id    text,
        replacement_requested_at timestamptz,
        resync_from              timestamptz,
        backup_sha256            text,
        backup_rows              int,
        backup_periods           text[],
        backup_at                timestamptz,
        step_in_progress         text,
        step_started_at          timestamptz,
        created_by_kind          text        NOT NULL CHECK (created_by_kind IN ('person', 'service')),
        created_by_subject       text        NOT NULL,
        created_by_name          text        NOT NULL,
        created_at               timestamptz NOT NULL,
        updated_at               timestamptz NOT NULL,
        ended_at                 timestamptz,
        CHECK ((step_in_progress IS NULL) = (step_started_at IS NULL))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX device_resets_one_open ON device_resets (device_id) WHERE state NOT IN ('closed', 'cancelled')`,
    );
    await q.query('CREATE INDEX device_resets_newest ON device_resets (created_at DESC, id DESC)');
    await q.query('CREATE INDEX device_resets_device ON device_resets (device_id, created_at DESC)');
    await q.query('CREATE INDEX device_resets_branch ON device_resets (branch_id, created_at DESC)');
    await q.query(`
      CREATE TABLE device_reset_steps (
        id            bigserial   PRIMARY KEY,
        reset_id      uuid        NOT NULL REFERENCES device_resets (id),
        step          text        NOT NULL CHECK (step IN
                        ('backup', 'suspend', 'rekey', 'resync', 'verify', 'closed', 'cancelled')),
        outcome       text        NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
        detail        jsonb       NOT NULL,
        actor_kind    text        NOT NULL CHECK (actor_kind IN ('person', 'service')),
        actor_subject text        NOT NULL,
        actor_name    text        NOT NULL,
        at            timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX device_reset_steps_reset ON device_reset_steps (reset_id, id)');
    await q.query(`
      CREATE TABLE device_reset_backup_invoices (
        reset_id     uuid    NOT NULL REFERENCES device_resets (id),
        line_no      int     NOT NULL,
        invoice_key  text    NOT NULL,
        csv_line     text    NOT NULL,
        PRIMARY KEY (reset_id, line_no)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS device_reset_backup_invoices');
    await q.query('DROP TABLE IF EXISTS device_reset_steps');
    await q.query('DROP TABLE IF EXISTS device_resets');
  }
}
