import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tracking of correction requests through the authority's red-letter confirmation forms: the form a request
 * follows (found by its original invoice), its last state and when it is due to be read again, and every state
 * the form was seen in (`correction_form_history`). `cancelled` now means "the form became void (05-10)".
 */
export class TrackCorrectionForms1765000000003 implements MigrationInterface {
  name = 'TrackCorrectionForms1765000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE correction_requests
        ADD COLUMN form_id        text,
        ADD COLUMN form_state_at  timestamptz,
        ADD COLUMN next_check_at  timestamptz,
        ADD COLUMN checks         int  NOT NULL DEFAULT 0,
        ADD COLUMN last_error     text`);
    await q.query(`CREATE INDEX correction_requests_due ON correction_requests (next_check_at NULLS FIRST)
                    WHERE status IN ('requested', 'submitted', 'confirmed')`);
    await q.query(`
      CREATE TABLE correction_form_history (
        id          bigserial   PRIMARY KEY,
        finding_id  uuid        NOT NULL REFERENCES correction_requests (finding_id) ON DELETE CASCADE,
        form_id     text        NOT NULL,
        from_state  text,
        to_state    text        NOT NULL CHECK (to_state ~ '^(0[1-9]|10)$'),
        form_updated_at timestamptz NOT NULL,
        observed_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX correction_form_history_finding ON correction_form_history (finding_id, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS correction_form_history');
    await q.query('DROP INDEX IF EXISTS correction_requests_due');
    await q.query(`
      ALTER TABLE correction_requests
        DROP COLUMN IF EXISTS form_id, DROP COLUMN IF EXISTS form_state_at, DROP COLUMN IF EXISTS next_check_at,
        DROP COLUMN IF EXISTS checks, DROP COLUMN IF EXISTS last_error`);
  }
}
