import { randomUUID } from 'node:crypto';
import { RestartCorrectionRequests1765000001200 } from '../src/persistence/migrations/restart-correction-requests.migration';
import { ReconcileDb } from './support/reconcile-db';

/**
 * The migration that lets a finding have several correction requests, down and up again on real PostgreSQL:
 * down keeps each finding's latest request (a closed one with the status its form meant) and every form-history
 * row; up numbers the existing requests attempt 1 and has the escalated findings' void requests watched.
 */
describe('RestartCorrectionRequests migration (real PostgreSQL)', () => {
  const db = new ReconcileDb();
  const migration = new RestartCorrectionRequests1765000001200();
  const [reopened, escalated] = [randomUUID(), randomUUID()];

  const finding = (id: string, subject: string, state: string) =>
    db.query(
      `INSERT INTO findings (id, tax_no, period, type, subject, state, severity, invoice_key, explanation, evidence, created_at, updated_at)
       VALUES ($1, 'T', '2026-10', 'AMOUNT_MISMATCH', $2, $3, 'critical', $2, 'x', '{}', now(), now())`,
      [id, subject, state],
    );
  const migrate = (direction: 'up' | 'down') =>
    db.dataSource.transaction((m) =>
      direction === 'up' ? migration.up(m.queryRunner!) : migration.down(m.queryRunner!),
    );

  beforeAll(async () => {
    await db.start();
    await finding(reopened, '25442000000000000001', 'remediating');
    await finding(escalated, '25442000000000000002', 'escalated');
    await db.query(
      `INSERT INTO correction_requests (finding_id, attempt, invoice_key, tax_no, kind, form_id, form_state, status, next_check_at, created_at, updated_at)
       VALUES ($1, 1, '25442000000000000001', 'T', 'amount', 'HZ1', '04', 'closed', NULL, now(), now()),
              ($1, 2, '25442000000000000001', 'T', 'amount', NULL, NULL, 'requested', NULL, now(), now()),
              ($2, 1, '25442000000000000002', 'T', 'amount', 'HZ2', '07', 'cancelled', now(), now(), now())`,
      [reopened, escalated],
    );
    await db.query(
      `INSERT INTO correction_form_history (finding_id, attempt, form_id, from_state, to_state, form_updated_at, observed_at)
       VALUES ($1, 1, 'HZ1', NULL, '02', now(), now()), ($1, 1, 'HZ1', '02', '04', now(), now()), ($2, 1, 'HZ2', '02', '07', now(), now())`,
      [reopened, escalated],
    );
  });
  afterAll(() => db.stop());

  it('goes down to one request per finding, keeping the form history', async () => {
    await migrate('down');
    expect(
      await db.query(
        'SELECT finding_id, form_id, status, next_check_at FROM correction_requests ORDER BY invoice_key',
      ),
    ).toEqual([
      { finding_id: reopened, form_id: null, status: 'requested', next_check_at: null },
      { finding_id: escalated, form_id: 'HZ2', status: 'cancelled', next_check_at: null },
    ]);
    expect(await db.query('SELECT COUNT(*)::int AS n FROM correction_form_history')).toEqual([{ n: 3 }]);
    await expect(
      db.query(
        `INSERT INTO correction_requests (finding_id, invoice_key, tax_no, kind, status, created_at, updated_at)
         VALUES ($1, 'k', 'T', 'amount', 'requested', now(), now())`,
        [reopened],
      ),
    ).rejects.toThrow(/correction_requests_pkey/);
  });

  it('comes up again with attempt 1 for every request and the escalated finding watched for a new form', async () => {
    await migrate('up');
    const rows = await db.query<{ attempt: number; status: string; watched: boolean }>(
      'SELECT attempt, status, next_check_at IS NOT NULL AS watched FROM correction_requests ORDER BY invoice_key',
    );
    expect(rows).toEqual([
      { attempt: 1, status: 'requested', watched: false },
      { attempt: 1, status: 'cancelled', watched: true },
    ]);
    expect(await db.query('SELECT DISTINCT attempt FROM correction_form_history')).toEqual([{ attempt: 1 }]);
    await expect(
      db.query(
        `INSERT INTO correction_requests (finding_id, attempt, invoice_key, tax_no, kind, status, created_at, updated_at)
         VALUES ($1, 2, 'k', 'T', 'amount', 'submitted', now(), now())`,
        [reopened],
      ),
    ).rejects.toThrow(/correction_requests_active/);
  });
});
