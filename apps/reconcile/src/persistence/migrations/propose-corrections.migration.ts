import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Red-letter corrections with four eyes (docs/corrections.md). A correction request now carries a proposal: the
 * red-letter form to enter (reason, the amounts to reverse, the original invoice), who proposed it, and the decision of
 * a finance manager who is not the proposer (`approval`: proposed → approved | rejected; withdrawn when a person's new
 * proposal replaces it). An approved one is entered at the authority by the submitter (`submission`: due → in_flight →
 * done | refused); `id` is the API's id and our request number at the authority, by which a lost answer is looked up.
 * A request from before has no proposal (approval null): it waits for a form entered by hand, as it did.
 * `correction_history` records every step with the person (or service) who took it.
 */
export class ProposeCorrections1766000002000 implements MigrationInterface {
  name = 'ProposeCorrections1766000002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE correction_requests
        ADD COLUMN id               uuid          NOT NULL DEFAULT gen_random_uuid(),
        ADD COLUMN reason_code      text          CHECK (reason_code IN ('01', '02', '03', '04')),
        ADD COLUMN original_code    text,
        ADD COLUMN original_number  text,
        ADD COLUMN red_amount       numeric(18,2) CHECK (red_amount >= 0),
        ADD COLUMN red_tax_amount   numeric(18,2) CHECK (red_tax_amount >= 0),
        ADD COLUMN reissue          boolean       NOT NULL DEFAULT false,
        ADD COLUMN approval         text          CHECK (approval IN ('proposed', 'approved', 'rejected', 'withdrawn')),
        ADD COLUMN proposed_by_kind text,
        ADD COLUMN proposed_by      text,
        ADD COLUMN proposed_by_name text,
        ADD COLUMN proposal_note    text,
        ADD COLUMN decided_by_kind  text,
        ADD COLUMN decided_by       text,
        ADD COLUMN decided_by_name  text,
        ADD COLUMN decided_at       timestamptz,
        ADD COLUMN decision_reason  text,
        ADD COLUMN submission       text          CHECK (submission IN ('due', 'in_flight', 'done', 'refused')),
        ADD COLUMN submit_attempts  int           NOT NULL DEFAULT 0,
        ADD COLUMN submit_next_at   timestamptz,
        ADD COLUMN submitted_at     timestamptz,
        ADD COLUMN submit_error     text,
        ADD COLUMN red_invoice_key  text`);
    await q.query('ALTER TABLE correction_requests ADD CONSTRAINT correction_requests_id_key UNIQUE (id)');
    await q.query('ALTER TABLE correction_requests DROP CONSTRAINT correction_requests_status_check');
    await q.query(`
      ALTER TABLE correction_requests ADD CONSTRAINT correction_requests_status_check
        CHECK (status IN ('requested', 'submitted', 'confirmed', 'cancelled', 'closed', 'rejected'))`);
    await q.query(`
      CREATE INDEX correction_requests_submission ON correction_requests (submit_next_at)
        WHERE submission IN ('due', 'in_flight')`);
    await q.query(
      'CREATE INDEX correction_requests_approval ON correction_requests (approval, tax_no, created_at)',
    );
    await q.query(`
      CREATE TABLE correction_history (
        seq            bigserial   PRIMARY KEY,
        correction_id  uuid        NOT NULL REFERENCES correction_requests (id) ON DELETE CASCADE,
        at             timestamptz NOT NULL,
        action         text        NOT NULL,
        actor_kind     text        NOT NULL,
        actor          text        NOT NULL,
        actor_name     text        NOT NULL,
        reason         text,
        detail         jsonb       NOT NULL DEFAULT '{}'
      )`);
    await q.query('CREATE INDEX correction_history_correction ON correction_history (correction_id, seq)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS correction_history');
    await q.query('DROP INDEX IF EXISTS correction_requests_approval');
    await q.query('DROP INDEX IF EXISTS correction_requests_submission');
    await q.query(`UPDATE correction_requests SET status = 'closed' WHERE status = 'rejected'`);
    await q.query('ALTER TABLE correction_requests DROP CONSTRAINT correction_requests_status_check');
    await q.query(`
      ALTER TABLE correction_requests ADD CONSTRAINT correction_requests_status_check
        CHECK (status IN ('requested', 'submitted', 'confirmed', 'cancelled', 'closed'))`);
    await q.query('ALTER TABLE correction_requests DROP CONSTRAINT IF EXISTS correction_requests_id_key');
    await q.query(`
      ALTER TABLE correction_requests
        DROP COLUMN id, DROP COLUMN reason_code, DROP COLUMN original_code, DROP COLUMN original_number, DROP COLUMN red_amount,
        DROP COLUMN red_tax_amount, DROP COLUMN reissue, DROP COLUMN approval, DROP COLUMN proposed_by_kind, DROP COLUMN proposed_by,
        DROP COLUMN proposed_by_name, DROP COLUMN proposal_note, DROP COLUMN decided_by_kind, DROP COLUMN decided_by,
        DROP COLUMN decided_by_name, DROP COLUMN decided_at, DROP COLUMN decision_reason, DROP COLUMN submission,
        DROP COLUMN submit_attempts, DROP COLUMN submit_next_at, DROP COLUMN submitted_at, DROP COLUMN submit_error,
        DROP COLUMN red_invoice_key`);
  }
}
