import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every service's audit log: who (a person or a service account) did what to which thing, when, written in the same
 * transaction as the change itself, so an action and its record land or fail together.
 */
export class CreateAuditLog1766000000000 implements MigrationInterface {
  name = 'CreateAuditLog1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id            bigserial   PRIMARY KEY,
        at            timestamptz NOT NULL,
        actor_kind    text        NOT NULL CHECK (actor_kind IN ('person', 'service')),
        actor_subject text        NOT NULL,
        actor_name    text        NOT NULL,
        action        text        NOT NULL,
        target_type   text        NOT NULL,
        target_id     text        NOT NULL,
        tax_no        text,
        branch_id     text,
        reason        text,
        detail        jsonb       NOT NULL DEFAULT '{}'
      )`);
    await q.query('CREATE INDEX audit_log_newest ON audit_log (at DESC, id DESC)');
    await q.query('CREATE INDEX audit_log_target ON audit_log (target_type, target_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS audit_log');
  }
}
