import { MigrationInterface, QueryRunner } from 'typeorm';

const ACTIVE = `('requested', 'submitted', 'confirmed')`;

/**
 * A finding may have several correction requests over time, one active at most: a finding that comes back into
 * remediation after its request ended (the finding was resolved, or its form became void and a new form was
 * entered) starts a new request, attempt n + 1, and the earlier ones stay with their form history for audit.
 * `closed`: the request ended because its finding was resolved (or ignored) while it was still active. A void
 * request (`cancelled`) of an escalated finding keeps a `next_check_at`: the tracker looks for a new form then.
 */
export class RestartCorrectionRequests1765000001200 implements MigrationInterface {
  name = 'RestartCorrectionRequests1765000001200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE correction_requests ADD COLUMN attempt int NOT NULL DEFAULT 1 CHECK (attempt >= 1)`,
    );
    await q.query(`ALTER TABLE correction_requests ALTER COLUMN attempt DROP DEFAULT`);
    await q.query(`ALTER TABLE correction_form_history ADD COLUMN attempt int NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE correction_form_history ALTER COLUMN attempt DROP DEFAULT`);
    await q.query(
      `ALTER TABLE correction_form_history DROP CONSTRAINT correction_form_history_finding_id_fkey`,
    );
    await q.query(`ALTER TABLE correction_requests DROP CONSTRAINT correction_requests_pkey`);
    await q.query(
      `ALTER TABLE correction_requests ADD CONSTRAINT correction_requests_pkey PRIMARY KEY (finding_id, attempt)`,
    );
    await q.query(`
      ALTER TABLE correction_form_history ADD CONSTRAINT correction_form_history_request_fkey
        FOREIGN KEY (finding_id, attempt) REFERENCES correction_requests (finding_id, attempt) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE correction_requests DROP CONSTRAINT correction_requests_status_check`);
    await q.query(`
      ALTER TABLE correction_requests ADD CONSTRAINT correction_requests_status_check
        CHECK (status IN ('requested', 'submitted', 'confirmed', 'cancelled', 'closed'))`);
    await q.query(
      `CREATE UNIQUE INDEX correction_requests_active ON correction_requests (finding_id) WHERE status IN ${ACTIVE}`,
    );
    await q.query(`
      CREATE INDEX correction_requests_watched ON correction_requests (next_check_at)
        WHERE status = 'cancelled' AND next_check_at IS NOT NULL`);
    // findings already escalated over a void form are looked at for a new form from now on
    await q.query(`
      UPDATE correction_requests c SET next_check_at = now()
        FROM findings f WHERE f.id = c.finding_id AND f.state = 'escalated' AND c.status = 'cancelled'`);
  }

  /**
   * Back to one request per finding: the latest one stays (a closed one gets the status its form state meant),
   * and the form history of the earlier ones stays with it.
   */
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS correction_requests_watched');
    await q.query('DROP INDEX IF EXISTS correction_requests_active');
    await q.query(
      'ALTER TABLE correction_form_history DROP CONSTRAINT IF EXISTS correction_form_history_request_fkey',
    );
    await q.query(`
      DELETE FROM correction_requests c
       WHERE EXISTS (SELECT 1 FROM correction_requests n WHERE n.finding_id = c.finding_id AND n.attempt > c.attempt)`);
    await q.query(`
      UPDATE correction_requests SET status = CASE
          WHEN form_state IS NULL THEN 'requested'
          WHEN form_state IN ('01', '04') THEN 'confirmed'
          WHEN form_state IN ('02', '03') THEN 'submitted'
          ELSE 'cancelled' END
       WHERE status = 'closed'`);
    await q.query(`UPDATE correction_requests SET next_check_at = NULL WHERE status = 'cancelled'`);
    await q.query('ALTER TABLE correction_requests DROP CONSTRAINT correction_requests_status_check');
    await q.query(`
      ALTER TABLE correction_requests ADD CONSTRAINT correction_requests_status_check
        CHECK (status IN ('requested', 'submitted', 'confirmed', 'cancelled'))`);
    await q.query('ALTER TABLE correction_requests DROP CONSTRAINT correction_requests_pkey');
    await q.query(
      'ALTER TABLE correction_requests ADD CONSTRAINT correction_requests_pkey PRIMARY KEY (finding_id)',
    );
    await q.query(`
      ALTER TABLE correction_form_history ADD CONSTRAINT correction_form_history_finding_id_fkey
        FOREIGN KEY (finding_id) REFERENCES correction_requests (finding_id) ON DELETE CASCADE`);
    await q.query('ALTER TABLE correction_form_history DROP COLUMN attempt');
    await q.query('ALTER TABLE correction_requests DROP COLUMN attempt');
  }
}
