import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, ID_SOURCE, IdSource } from '@lib/common';
import { RunRow, toRunRow } from './run.model';
import { ADVISORY_LOCK_CLASSES, returningRows } from '@lib/persistence';
import { ReconcileErrorCode } from '../reconcile-error-codes';
import { lockReconcileScope } from '../persistence/scope-lock';

/**
 * Runs. At most one active (queued or running) run per scope, by a partial unique index; a worker
 * claims a run with SKIP LOCKED and holds it by a lease; every write of a running run is fenced by
 * the worker id, so a worker that lost its lease (and was taken over) can no longer write.
 */
@Injectable()
export class RunsRepository {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
  ) {}

  /** Queues a run of the scope, or returns the one already active (an on-demand request never doubles a run). */
  async enqueue(
    taxNo: string,
    period: string,
    trigger: string,
    requestedBy: string,
    now: Date,
    m: EntityManager = this.dataSource.manager,
  ): Promise<{ runId: string; created: boolean }> {
    const inserted = (await m.query(
      `INSERT INTO reconcile_runs (id, tax_no, period, state, trigger, requested_by, created_at)
       VALUES ($1, $2, $3, 'queued', $4, $5, $6)
       ON CONFLICT (tax_no, period) WHERE state IN ('queued', 'running') DO NOTHING RETURNING id`,
      [this.ids.uuid(), taxNo, period, trigger, requestedBy, now],
    )) as { id: string }[];
    if (inserted[0]) return { runId: inserted[0].id, created: true };
    const active = (await m.query(
      `SELECT id FROM reconcile_runs WHERE tax_no = $1 AND period = $2 AND state IN ('queued', 'running')`,
      [taxNo, period],
    )) as { id: string }[];
    if (!active[0]) return this.enqueue(taxNo, period, trigger, requestedBy, now, m);
    return { runId: active[0].id, created: false };
  }

  /** The oldest queued run, or a running one whose lease expired (its worker died: resume from its page token). */
  async claim(workerId: string, now: Date, leaseMs: number): Promise<RunRow | null> {
    const rows = await returningRows<Record<string, unknown>>(
      this.dataSource.manager,
      `UPDATE reconcile_runs SET state = 'running', worker_id = $1, lease_until = $2::timestamptz + ($3::int * interval '1 millisecond'),
              started_at = COALESCE(started_at, $2)
        WHERE id = (SELECT id FROM reconcile_runs
                     WHERE state = 'queued' OR (state = 'running' AND lease_until < $2)
                     ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
        RETURNING *`,
      [workerId, now, leaseMs],
    );
    return rows[0] ? toRunRow(rows[0]) : null;
  }

  /** Records progress (and renews the lease) in the caller's transaction; throws when the run is no longer ours. */
  async progress(
    m: EntityManager,
    run: { id: string; workerId: string },
    fields: {
      phase?: string;
      channel?: string;
      pageToken?: string | null;
      pages?: number;
      records?: number;
      pullComplete?: boolean;
    },
    now: Date,
    leaseMs: number,
  ): Promise<void> {
    const rows = await returningRows<unknown>(
      m,
      `UPDATE reconcile_runs SET
         phase = COALESCE($3, phase), channel = COALESCE($4, channel),
         page_token = CASE WHEN $5::boolean THEN $6 ELSE page_token END,
         pages = COALESCE($7, pages), records = COALESCE($8, records), pull_complete = COALESCE($9, pull_complete),
         lease_until = $10::timestamptz + ($11::int * interval '1 millisecond')
       WHERE id = $1 AND worker_id = $2 AND state = 'running' RETURNING id`,
      [
        run.id,
        run.workerId,
        fields.phase ?? null,
        fields.channel ?? null,
        'pageToken' in fields,
        fields.pageToken ?? null,
        fields.pages ?? null,
        fields.records ?? null,
        fields.pullComplete ?? null,
        now,
        leaseMs,
      ],
    );
    if (rows.length === 0)
      throw new AppError(ReconcileErrorCode.RUN_LEASE_LOST, 'conflict', `run ${run.id} is no longer held by ${run.workerId}`);
  }

  async finish(
    m: EntityManager,
    run: { id: string; workerId: string },
    outcome: {
      state: 'completed' | 'incomplete' | 'failed';
      counts?: object;
      timings?: object;
      incompleteReason?: string | null;
      error?: object | null;
    },
    now: Date,
  ): Promise<void> {
    const rows = await returningRows<unknown>(
      m,
      `UPDATE reconcile_runs SET state = $3, phase = NULL, counts = COALESCE($4, counts), timings = COALESCE($5, timings),
              incomplete_reason = $6, error = $7, finished_at = $8, lease_until = NULL
        WHERE id = $1 AND worker_id = $2 AND state = 'running' RETURNING id`,
      [
        run.id,
        run.workerId,
        outcome.state,
        outcome.counts ? JSON.stringify(outcome.counts) : null,
        outcome.timings ? JSON.stringify(outcome.timings) : null,
        outcome.incompleteReason ?? null,
        outcome.error ? JSON.stringify(outcome.error) : null,
        now,
      ],
    );
    if (rows.length === 0)
      throw new AppError(ReconcileErrorCode.RUN_LEASE_LOST, 'conflict', `run ${run.id} is no longer held by ${run.workerId}`);
  }

  /**
   * Keeps the staged pull, the per-invoice answers (authority_checks) and the discrepancies of the scope's
   * latest `keep` finished runs only (a period pulled hourly would otherwise grow by a million rows an hour);
   * older runs keep their counts.
   */
  async prune(taxNo: string, period: string, keep: number): Promise<void> {
    const old = `SELECT id FROM reconcile_runs WHERE tax_no = $1 AND period = $2 AND state IN ('completed', 'incomplete', 'failed')
                  ORDER BY created_at DESC OFFSET $3`;
    await this.dataSource.query(`DELETE FROM authority_staged_versions WHERE run_id IN (${old})`, [
      taxNo,
      period,
      keep,
    ]);
    await this.dataSource.query(`DELETE FROM authority_staged WHERE run_id IN (${old})`, [
      taxNo,
      period,
      keep,
    ]);
    await this.dataSource.query(`DELETE FROM authority_checks WHERE run_id IN (${old})`, [
      taxNo,
      period,
      keep,
    ]);
    await this.dataSource.query(`DELETE FROM run_discrepancies WHERE run_id IN (${old})`, [
      taxNo,
      period,
      keep,
    ]);
  }

  async get(id: string): Promise<RunRow | null> {
    const rows = (await this.dataSource.query('SELECT * FROM reconcile_runs WHERE id = $1', [id])) as Record<
      string,
      unknown
    >[];
    return rows[0] ? toRunRow(rows[0]) : null;
  }

  /** Runs newest first (keyset on created_at, id), of one taxpayer and/or period. */
  async list(
    filter: { taxNo?: string; period?: string },
    before: { at: string; id: string } | null,
    limit: number,
  ): Promise<RunRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM reconcile_runs
        WHERE ($1::text IS NULL OR tax_no = $1) AND ($2::text IS NULL OR period = $2)
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $5`,
      [filter.taxNo ?? null, filter.period ?? null, before?.at ?? null, before?.id ?? null, limit],
    )) as Record<string, unknown>[];
    return rows.map(toRunRow);
  }

  async count(filter: { taxNo?: string; period?: string }): Promise<number> {
    const rows = (await this.dataSource.query(
      'SELECT COUNT(*)::int AS n FROM reconcile_runs WHERE ($1::text IS NULL OR tax_no = $1) AND ($2::text IS NULL OR period = $2)',
      [filter.taxNo ?? null, filter.period ?? null],
    )) as { n: number }[];
    return rows[0]?.n ?? 0;
  }

  /**
   * The scopes with something to reconcile in `periods` (ledger invoices, device readings or active registered devices)
   * that got no run within `intervalMs` before `now`; none when another replica is choosing right now (a transaction
   * advisory lock, held while they are read).
   */
  async dueScopes(periods: readonly string[], now: Date, intervalMs: number): Promise<{ taxNo: string; period: string }[]> {
    return this.dataSource.transaction(async (m) => {
      const [lock] = (await m.query('SELECT pg_try_advisory_xact_lock($1::int, 0) AS ok', [ADVISORY_LOCK_CLASSES.reconcileScheduler])) as { ok: boolean }[];
      if (!lock?.ok) return [];
      const rows = (await m.query(
        `WITH scopes AS (
           SELECT DISTINCT tax_no, period FROM ledger_invoices WHERE period = ANY($1::text[]) AND source = 'ledger'
           UNION SELECT DISTINCT tax_no, p FROM device_monitors CROSS JOIN unnest($1::text[]) p
           UNION SELECT DISTINCT tax_no, p FROM device_registry CROSS JOIN unnest($1::text[]) p WHERE status = 'active')
         SELECT s.tax_no, s.period FROM scopes s
          WHERE NOT EXISTS (SELECT 1 FROM reconcile_runs r WHERE r.tax_no = s.tax_no AND r.period = s.period
                              AND r.created_at > $2::timestamptz - ($3::int * interval '1 millisecond'))`,
        [periods, now, intervalMs],
      )) as { tax_no: string; period: string }[];
      return rows.map((r) => ({ taxNo: r.tax_no, period: r.period }));
    });
  }

  /** Serialises the comparisons of one scope (and the findings anything else writes into it) until the transaction ends. */
  async lockScope(m: EntityManager, taxNo: string, period: string): Promise<void> {
    await lockReconcileScope(m, taxNo, period);
  }

  /** The authority's records the run staged. */
  async stagedCount(m: EntityManager, runId: string): Promise<number> {
    const rows = (await m.query('SELECT COUNT(*)::int AS n FROM authority_staged WHERE run_id = $1', [runId])) as { n: number }[];
    return rows[0]?.n ?? 0;
  }

  /** When the scope last got a run (any state), to space scheduled runs. */
  async lastCreatedAt(m: EntityManager, taxNo: string, period: string): Promise<Date | null> {
    const rows = (await m.query(
      'SELECT MAX(created_at) AS at FROM reconcile_runs WHERE tax_no = $1 AND period = $2',
      [taxNo, period],
    )) as {
      at: string | null;
    }[];
    return rows[0]?.at ? new Date(rows[0].at) : null;
  }
}
