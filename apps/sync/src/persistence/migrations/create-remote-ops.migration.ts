import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Remote 抄报 / 清卡 of hosted devices (issue 15, docs/sync.md "Remote operations"): the devices as the gateway
 * announces them (`device.changed`), the per-taxpayer and per-device switches, and one job per device and period.
 */
export class CreateRemoteOps1764000000005 implements MigrationInterface {
  name = 'CreateRemoteOps1764000000005';

  async up(q: QueryRunner): Promise<void> {
    // Every device the gateway announces (hosted or not: hosting may be set later); the newest by changed_at, then
    // by the envelope's produced_at.
    await q.query(`
      CREATE TABLE hosted_devices (
        device_id   text        PRIMARY KEY,
        tax_no      text        NOT NULL,
        branch_id   text        NOT NULL,
        device_no   text,
        device_name text,
        hosted_on   text,
        status      text        NOT NULL CHECK (status IN ('active', 'suspended', 'retired')),
        changed_at  timestamptz NOT NULL,
        produced_at timestamptz NOT NULL,
        event_id    uuid        NOT NULL,
        updated_at  timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX hosted_devices_tax_no ON hosted_devices (tax_no)`);
    // No row: remote operations are on (the default).
    await q.query(`
      CREATE TABLE remote_ops_settings (
        scope              text        NOT NULL CHECK (scope IN ('taxpayer', 'device')),
        scope_id           text        NOT NULL,
        enabled            boolean     NOT NULL,
        reason             text        NOT NULL,
        updated_by_kind    text        NOT NULL CHECK (updated_by_kind IN ('person', 'service')),
        updated_by_subject text        NOT NULL,
        updated_by_name    text        NOT NULL,
        updated_at         timestamptz NOT NULL,
        PRIMARY KEY (scope, scope_id)
      )`);
    // One job per device and period. `attempts` counts claims: each claim's number names its outcomes (event ids);
    // an outcome is written only while the job still carries that number (a replica that took over wins).
    await q.query(`
      CREATE TABLE remote_op_jobs (
        id                 bigserial   PRIMARY KEY,
        device_id          text        NOT NULL,
        period             text        NOT NULL,
        target             text        NOT NULL,
        state              text        NOT NULL CHECK (state IN ('pending', 'reported', 'cleared', 'failed')),
        attempts           int         NOT NULL DEFAULT 0,
        failures_in_row    int         NOT NULL DEFAULT 0,
        next_attempt_at    timestamptz NOT NULL,
        leased_until       timestamptz,
        needs_status       boolean     NOT NULL DEFAULT false,
        last_error_code    text,
        last_error_message text,
        last_request_id    text,
        alerted_code       text,
        reported_at        timestamptz,
        report_event       boolean     NOT NULL DEFAULT false,
        cleared_at         timestamptz,
        created_at         timestamptz NOT NULL,
        updated_at         timestamptz NOT NULL,
        UNIQUE (device_id, period)
      )`);
    await q.query(
      `CREATE INDEX remote_op_jobs_due ON remote_op_jobs (period, next_attempt_at) WHERE state <> 'cleared'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS remote_op_jobs');
    await q.query('DROP TABLE IF EXISTS remote_ops_settings');
    await q.query('DROP TABLE IF EXISTS hosted_devices');
  }
}
