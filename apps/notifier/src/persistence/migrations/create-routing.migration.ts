import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who is told what: recipients, where each one is responsible (taxpayer and branch, `*` for all) at which
 * level (1 branch accountant, 2 regional finance, 3 group tax), and the rules that choose channels, level
 * and immediate-or-digest by finding type and severity. Three default rules are seeded.
 */
export class CreateNotifierRouting1765000000000 implements MigrationInterface {
  name = 'CreateNotifierRouting1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE recipients (
        id          text        PRIMARY KEY,
        name        text        NOT NULL,
        email       text,
        mobile      text,
        language    text        NOT NULL CHECK (language IN ('zh-CN', 'en')),
        quiet_start text        CHECK (quiet_start ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        quiet_end   text        CHECK (quiet_end ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        active      boolean     NOT NULL DEFAULT true,
        created_at  timestamptz NOT NULL,
        updated_at  timestamptz NOT NULL,
        CHECK (email IS NOT NULL OR mobile IS NOT NULL),
        CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
      )`);
    await q.query(`
      CREATE TABLE recipient_scopes (
        recipient_id text     NOT NULL REFERENCES recipients (id) ON DELETE CASCADE,
        tax_no       text     NOT NULL,
        branch_id    text     NOT NULL,
        level        smallint NOT NULL CHECK (level BETWEEN 1 AND 9),
        PRIMARY KEY (recipient_id, tax_no, branch_id, level)
      )`);
    await q.query('CREATE INDEX recipient_scopes_lookup ON recipient_scopes (tax_no, branch_id, level)');
    await q.query(`
      CREATE TABLE routing_rules (
        id           text        PRIMARY KEY,
        finding_type text,
        min_severity text        NOT NULL CHECK (min_severity IN ('info', 'warning', 'critical')),
        channels     text[]      NOT NULL CHECK (channels <@ ARRAY['email', 'sms']::text[] AND cardinality(channels) > 0),
        level        smallint    NOT NULL CHECK (level BETWEEN 1 AND 9),
        mode         text        NOT NULL CHECK (mode IN ('immediate', 'digest')),
        priority     integer     NOT NULL DEFAULT 0,
        created_at   timestamptz NOT NULL,
        updated_at   timestamptz NOT NULL
      )`);
    await q.query(`
      INSERT INTO routing_rules (id, finding_type, min_severity, channels, level, mode, priority, created_at, updated_at)
      VALUES ('default-critical', NULL, 'critical', ARRAY['email', 'sms'], 1, 'immediate', 0, now(), now()),
             ('default-warning', NULL, 'warning', ARRAY['email'], 1, 'immediate', 0, now(), now()),
             ('default-info', NULL, 'info', ARRAY['email'], 1, 'digest', 0, now(), now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS routing_rules');
    await q.query('DROP TABLE IF EXISTS recipient_scopes');
    await q.query('DROP TABLE IF EXISTS recipients');
  }
}
