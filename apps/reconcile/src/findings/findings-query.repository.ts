import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, BranchScope, scopeParam } from '@lib/platform';
import { FindingFilters, FindingsSummaryQuery } from './finding-filters';
import { FindingRow } from './finding.model';
import { FINDING_COLUMNS, toFindingRow } from './finding.mapper';
import { HistoryView } from './finding.view';

/** Open, for the overview: what still needs someone (PRODUCT.md). */
const OPEN = `state IN ('open', 'remediating', 'escalated')`;

/**
 * The WHERE clause of a findings list, the caller's branch scope first ($1), then the filters ($2-$8): a filter left out
 * is a NULL parameter, which PostgreSQL folds away when it plans the statement with its values (the index stays usable).
 */
const FILTERS = `($1::text[] IS NULL OR branch_id = ANY($1::text[]))
  AND ($2::text IS NULL OR tax_no = $2) AND ($3::text IS NULL OR period = $3) AND ($4::text IS NULL OR type = $4)
  AND ($5::text IS NULL OR state = $5) AND ($6::text IS NULL OR branch_id = $6) AND ($7::text IS NULL OR severity = $7)
  AND ($8::text IS NULL OR invoice_number = $8)`;

const filterParams = (scope: BranchScope, f: FindingFilters) => [
  scopeParam(scope),
  f.taxNo ?? null,
  f.period ?? null,
  f.type ?? null,
  f.state ?? null,
  f.branchId ?? null,
  f.severity ?? null,
  f.invoiceNumber ?? null,
];

export interface FindingsSummary {
  byType: Record<string, number>;
  bySeverity: Record<string, number>;
  byState: Record<string, number>;
  byBranch: { branchId: string | null; open: number; total: number }[];
  byPeriod: { period: string; open: number; total: number }[];
}

/** Reads of findings for the API, always within the caller's branch scope: keyset pages (createdAt, id), totals, histories. */
@Injectable()
export class FindingsQueryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Up to `limit` findings after the cursor, oldest first. */
  async list(
    scope: BranchScope,
    f: FindingFilters,
    after: { at: string; id: string } | null,
    limit: number,
  ): Promise<FindingRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${FINDING_COLUMNS} FROM findings
        WHERE ${FILTERS} AND ($9::timestamptz IS NULL OR (created_at, id) > ($9::timestamptz, $10::uuid))
        ORDER BY created_at, id LIMIT $11`,
      [...filterParams(scope, f), after?.at ?? null, after?.id ?? null, limit],
    )) as Record<string, unknown>[];
    return rows.map(toFindingRow);
  }

  /** How many findings match the filters within the scope (every page's total). */
  async count(scope: BranchScope, f: FindingFilters): Promise<number> {
    const rows = (await this.dataSource.query(
      `SELECT COUNT(*)::int AS n FROM findings WHERE ${FILTERS}`,
      filterParams(scope, f),
    )) as { n: number }[];
    return rows[0]?.n ?? 0;
  }

  /** The finding, when it exists and its branch is in the scope (null either way otherwise: the caller cannot tell). */
  async get(m: EntityManager, id: string, scope: BranchScope, lock = false): Promise<FindingRow | null> {
    const rows = (await m.query(
      `SELECT ${FINDING_COLUMNS} FROM findings WHERE id = $1 AND ($2::text[] IS NULL OR branch_id = ANY($2::text[]))
        ${lock ? 'FOR UPDATE' : ''}`,
      [id, scopeParam(scope)],
    )) as Record<string, unknown>[];
    return rows[0] ? toFindingRow(rows[0]) : null;
  }

  /**
   * Whether the caller's scope sees an invoice. Its branch is its ledger row's; without one (only the authority or a
   * delivery knows it), its findings'; an invoice known to neither (a delivery outcome alone) has no branch and only an
   * all-branch scope sees it. An unknown invoice is not visible.
   */
  async invoiceVisible(scope: BranchScope, invoiceKey: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `SELECT visible FROM (
         SELECT 1 AS rank, ($2::text[] IS NULL OR branch_id = ANY($2::text[])) AS visible FROM ledger_invoices WHERE invoice_key = $1
         UNION ALL
         SELECT 2, bool_or($2::text[] IS NULL OR branch_id = ANY($2::text[])) FROM findings WHERE invoice_key = $1 HAVING COUNT(*) > 0
         UNION ALL
         SELECT 3, $2::text[] IS NULL FROM (SELECT invoice_key FROM ledger_events WHERE invoice_key = $1
                                   UNION ALL SELECT invoice_key FROM sync_result_log WHERE invoice_key = $1
                                   UNION ALL SELECT invoice_key FROM authority_staged WHERE invoice_key = $1) k HAVING COUNT(*) > 0
       ) known ORDER BY rank LIMIT 1`,
      [invoiceKey, scopeParam(scope)],
    )) as { visible: boolean }[];
    return rows[0]?.visible === true;
  }

  async byInvoice(invoiceKey: string): Promise<FindingRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${FINDING_COLUMNS} FROM findings WHERE invoice_key = $1 ORDER BY created_at, id`,
      [invoiceKey],
    )) as Record<string, unknown>[];
    return rows.map(toFindingRow);
  }

  async histories(m: EntityManager, ids: string[]): Promise<Map<string, HistoryView[]>> {
    const rows = (await m.query(
      `SELECT finding_id, from_state, to_state, action, actor_kind, actor, actor_name, reason, run_id, at
         FROM finding_history WHERE finding_id = ANY($1::uuid[]) ORDER BY id`,
      [ids],
    )) as {
      finding_id: string;
      from_state: string | null;
      to_state: string;
      action: string;
      actor_kind: Actor['kind'];
      actor: string;
      actor_name: string;
      reason: string | null;
      run_id: string | null;
      at: Date;
    }[];
    const map = new Map<string, HistoryView[]>();
    for (const r of rows) {
      const list = map.get(r.finding_id) ?? [];
      list.push({
        fromState: r.from_state,
        toState: r.to_state,
        action: r.action,
        actor: { kind: r.actor_kind, subject: r.actor, name: r.actor_name },
        reason: r.reason,
        runId: r.run_id,
        at: new Date(r.at).toISOString(),
      });
      map.set(r.finding_id, list);
    }
    return map;
  }

  /**
   * The overview within the scope: open findings by type, severity and state; open and all findings by branch and by
   * period. One pass over the matching findings (grouping sets).
   */
  async summary(scope: BranchScope, q: FindingsSummaryQuery): Promise<FindingsSummary> {
    const rows = (await this.dataSource.query(
      `SELECT CASE WHEN GROUPING(type) = 0 THEN 'type' WHEN GROUPING(severity) = 0 THEN 'severity'
                   WHEN GROUPING(state) = 0 THEN 'state' WHEN GROUPING(branch_id) = 0 THEN 'branch' ELSE 'period' END AS dim,
              COALESCE(type, severity, state, branch_id, period) AS value,
              (COUNT(*) FILTER (WHERE ${OPEN}))::int AS open, COUNT(*)::int AS total
         FROM findings
        WHERE ($1::text[] IS NULL OR branch_id = ANY($1::text[]))
          AND ($2::text IS NULL OR tax_no = $2) AND ($3::text IS NULL OR period = $3) AND ($4::text IS NULL OR branch_id = $4)
        GROUP BY GROUPING SETS ((type), (severity), (state), (branch_id), (period))`,
      [scopeParam(scope), q.taxNo ?? null, q.period ?? null, q.branchId ?? null],
    )) as { dim: string; value: string | null; open: number; total: number }[];
    const summary: FindingsSummary = { byType: {}, bySeverity: {}, byState: {}, byBranch: [], byPeriod: [] };
    const counts = { type: summary.byType, severity: summary.bySeverity, state: summary.byState } as Record<
      string,
      Record<string, number>
    >;
    for (const r of rows) {
      if (r.dim === 'branch') summary.byBranch.push({ branchId: r.value, open: r.open, total: r.total });
      else if (r.dim === 'period')
        summary.byPeriod.push({ period: r.value ?? '', open: r.open, total: r.total });
      else if (r.open > 0 && r.value !== null) counts[r.dim][r.value] = r.open;
    }
    summary.byBranch.sort((a, b) => b.open - a.open || (a.branchId ?? '').localeCompare(b.branchId ?? ''));
    summary.byPeriod.sort((a, b) => b.period.localeCompare(a.period));
    return summary;
  }
}
