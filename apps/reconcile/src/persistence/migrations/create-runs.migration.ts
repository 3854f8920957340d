import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Runs (one active run per scope, enforced by a partial unique index), the authority's records staged
 * per run with the channel each came from, and the discrepancies a run's comparison found.
 */
export class CreateRuns1765000000001 implements MigrationInterface {
  name = 'CreateRuns1765000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reconcile_runs (
        id            uuid        PRIMARY KEY,
        tax_no        text        NOT NULL,
        period        text        NOT NULL,
        state         text        NOT NULL CHECK (state IN ('queued', 'running', 'completed', 'incomplete', 'failed')),
        phase         text,
        trigger       text        NOT NULL,
        requested_by  text        NOT NULL,
        channel       text,
        page_token    text,
        pages         int         NOT NULL DEFAULT 0,
        records       bigint      NOT NULL DEFAULT 0,
        pull_complete boolean     NOT NULL DEFAULT false,
        incomplete_reason text,
        counts        jsonb       NOT NULL DEFAULT '{}'::jsonb,
        timings       jsonb       NOT NULL DEFAULT '{}'::jsonb,
        error         jsonb,
        worker_id     text,
        lease_until   timestamptz,
        created_at    timestamptz NOT NULL,
        started_at    timestamptz,
        finished_at   timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX reconcile_runs_one_active ON reconcile_runs (tax_no, period) WHERE state IN ('queued', 'running')`);
    await q.query(`CREATE INDEX reconcile_runs_claim ON reconcile_runs (created_at) WHERE state IN ('queued', 'running')`);
    await q.query('CREATE INDEX reconcile_runs_scope ON reconcile_runs (tax_no, period, created_at DESC)');
    await q.query(`
      CREATE TABLE authority_staged (
        run_id        uuid          NOT NULL,
        page_no       int           NOT NULL,
        channel       text          NOT NULL,
        invoice_key   text          NOT NULL,
        invoice_type  text          NOT NULL,
        invoice_code  text,
        invoice_number text         NOT NULL,
        issued_at     timestamptz   NOT NULL,
        amount        numeric(18,2) NOT NULL,
        tax_amount    numeric(18,2) NOT NULL,
        total_amount  numeric(18,2) NOT NULL,
        status        text          NOT NULL,
        observed_at   timestamptz   NOT NULL
      )`);
    await q.query('CREATE INDEX authority_staged_run_key ON authority_staged (run_id, invoice_key)');
    await q.query('CREATE INDEX authority_staged_key ON authority_staged (invoice_key)');
    await q.query(`
      CREATE TABLE run_discrepancies (
        run_id      uuid  NOT NULL,
        type        text  NOT NULL,
        subject     text  NOT NULL,
        invoice_key text,
        device_id   text,
        facts       jsonb NOT NULL,
        PRIMARY KEY (run_id, type, subject)
      )`);
    // auto-resolution looks a finding's subject up whatever the type (pending counts as seen)
    await q.query('CREATE INDEX run_discrepancies_subject ON run_discrepancies (run_id, subject)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS run_discrepancies');
    await q.query('DROP TABLE IF EXISTS authority_staged');
    await q.query('DROP TABLE IF EXISTS reconcile_runs');
  }
}
