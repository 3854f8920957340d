import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The comparison used to de-duplicate a run's staged pull itself (a sort of every staged row, then a grouping to
 * find keys listed with different money): a quarter of the compare phase at a million records. Staging now keeps
 * one row per (run, invoice key), the latest, flagged `conflicting` when the key was listed with different money,
 * whose contents go to `authority_staged_versions`. Likewise the ledger's keys with more than one content are kept
 * in `ledger_conflicting_keys`, maintained by a statement trigger on `ledger_invoice_versions` (whoever writes it),
 * instead of grouping every version of the period at each run.
 *
 * Existing staged rows (of runs still in progress, or kept for the timeline) are converted in place.
 */
export class StageLatestRecords1765000001400 implements MigrationInterface {
  name = 'StageLatestRecords1765000001400';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE authority_staged ADD COLUMN conflicting boolean NOT NULL DEFAULT false');
    await q.query(`
      CREATE TABLE authority_staged_versions (
        run_id        uuid          NOT NULL,
        invoice_key   text          NOT NULL,
        amount        numeric(18,2) NOT NULL,
        tax_amount    numeric(18,2) NOT NULL,
        total_amount  numeric(18,2) NOT NULL,
        status        text          NOT NULL,
        channel       text          NOT NULL,
        page_no       int           NOT NULL,
        observed_at   timestamptz   NOT NULL,
        PRIMARY KEY (run_id, invoice_key, amount, tax_amount, total_amount)
      )`);
    await q.query(`
      INSERT INTO authority_staged_versions (run_id, invoice_key, amount, tax_amount, total_amount, status, channel, page_no, observed_at)
      SELECT DISTINCT ON (s.run_id, s.invoice_key, s.amount, s.tax_amount, s.total_amount)
             s.run_id, s.invoice_key, s.amount, s.tax_amount, s.total_amount, s.status, s.channel, s.page_no, s.observed_at
        FROM authority_staged s
       WHERE EXISTS (SELECT 1 FROM authority_staged o WHERE o.run_id = s.run_id AND o.invoice_key = s.invoice_key
                        AND (o.amount, o.tax_amount, o.total_amount) IS DISTINCT FROM (s.amount, s.tax_amount, s.total_amount))
       ORDER BY s.run_id, s.invoice_key, s.amount, s.tax_amount, s.total_amount, s.observed_at`);
    await q.query(`
      UPDATE authority_staged s SET conflicting = true
       WHERE EXISTS (SELECT 1 FROM authority_staged_versions v WHERE v.run_id = s.run_id AND v.invoice_key = s.invoice_key)`);
    await q.query(`
      DELETE FROM authority_staged s USING authority_staged newer
       WHERE newer.run_id = s.run_id AND newer.invoice_key = s.invoice_key
         AND (newer.observed_at, newer.page_no, newer.ctid) > (s.observed_at, s.page_no, s.ctid)`);
    await q.query('DROP INDEX authority_staged_run_key');
    await q.query('CREATE UNIQUE INDEX authority_staged_run_key ON authority_staged (run_id, invoice_key)');

    await q.query('CREATE TABLE ledger_conflicting_keys (invoice_key text PRIMARY KEY)');
    await q.query(`
      CREATE FUNCTION ledger_note_conflicting_keys() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        INSERT INTO ledger_conflicting_keys (invoice_key)
        SELECT DISTINCT n.invoice_key FROM added n
          JOIN ledger_invoice_versions v ON v.invoice_key = n.invoice_key AND v.content_hash <> n.content_hash
        ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER ledger_invoice_versions_conflicting AFTER INSERT ON ledger_invoice_versions
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ledger_note_conflicting_keys()`);
    await q.query(`
      INSERT INTO ledger_conflicting_keys (invoice_key)
      SELECT invoice_key FROM ledger_invoice_versions GROUP BY invoice_key HAVING COUNT(*) > 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER IF EXISTS ledger_invoice_versions_conflicting ON ledger_invoice_versions');
    await q.query('DROP FUNCTION IF EXISTS ledger_note_conflicting_keys()');
    await q.query('DROP TABLE IF EXISTS ledger_conflicting_keys');
    await q.query('DROP INDEX IF EXISTS authority_staged_run_key');
    await q.query('CREATE INDEX authority_staged_run_key ON authority_staged (run_id, invoice_key)');
    await q.query('DROP TABLE IF EXISTS authority_staged_versions');
    await q.query('ALTER TABLE authority_staged DROP COLUMN IF EXISTS conflicting');
  }
}
