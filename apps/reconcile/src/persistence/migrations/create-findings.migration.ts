import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Findings, unique per (scope, type, subject) so that re-running never duplicates one; their history
 * (every transition and every person's action, with who and why); and correction requests (红冲 tasks
 * tracked through the authority's confirmation-form states 01-10).
 */
export class CreateFindings1765000000002 implements MigrationInterface {
  name = 'CreateFindings1765000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE findings (
        id            uuid        PRIMARY KEY,
        tax_no        text        NOT NULL,
        period        text        NOT NULL,
        type          text        NOT NULL,
        subject       text        NOT NULL,
        state         text        NOT NULL CHECK (state IN ('open', 'remediating', 'resolved', 'escalated', 'ignored')),
        severity      text        NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
        branch_id     text,
        device_id     text,
        invoice_key   text,
        invoice_type  text,
        invoice_code  text,
        invoice_number text,
        explanation   text        NOT NULL,
        evidence      jsonb       NOT NULL,
        remediation_attempts int  NOT NULL DEFAULT 0,
        last_remediated_at timestamptz,
        last_run_id   uuid,
        created_at    timestamptz NOT NULL,
        updated_at    timestamptz NOT NULL,
        UNIQUE (tax_no, period, type, subject)
      )`);
    await q.query('CREATE INDEX findings_list ON findings (tax_no, period, created_at, id)');
    await q.query('CREATE INDEX findings_invoice ON findings (invoice_key) WHERE invoice_key IS NOT NULL');
    await q.query(`
      CREATE TABLE finding_history (
        id          bigserial   PRIMARY KEY,
        finding_id  uuid        NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
        from_state  text,
        to_state    text        NOT NULL,
        action      text        NOT NULL,
        actor       text        NOT NULL,
        reason      text,
        run_id      uuid,
        at          timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX finding_history_finding ON finding_history (finding_id, id)');
    await q.query(`
      CREATE TABLE correction_requests (
        finding_id  uuid        PRIMARY KEY REFERENCES findings (id) ON DELETE CASCADE,
        invoice_key text        NOT NULL,
        tax_no      text        NOT NULL,
        kind        text        NOT NULL CHECK (kind IN ('amount', 'status')),
        form_state  text        CHECK (form_state ~ '^(0[1-9]|10)$'),
        status      text        NOT NULL CHECK (status IN ('requested', 'submitted', 'confirmed', 'cancelled')),
        created_at  timestamptz NOT NULL,
        updated_at  timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS correction_requests');
    await q.query('DROP TABLE IF EXISTS finding_history');
    await q.query('DROP TABLE IF EXISTS findings');
  }
}
