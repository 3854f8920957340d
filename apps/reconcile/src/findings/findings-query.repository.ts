import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ListFindingsQuery } from '../http/api.schemas';
import { FindingRow } from './finding.model';
import { FINDING_COLUMNS, toFindingRow } from './finding.mapper';
import { HistoryView } from './finding.view';

/** Reads of findings for the API: keyset pages (createdAt, id) and histories. */
@Injectable()
export class FindingsQueryRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(q: ListFindingsQuery, after: { createdAt: string; id: string } | null): Promise<FindingRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${FINDING_COLUMNS} FROM findings
        WHERE ($1::text IS NULL OR tax_no = $1) AND ($2::text IS NULL OR period = $2) AND ($3::text IS NULL OR type = $3)
          AND ($4::text IS NULL OR state = $4) AND ($5::timestamptz IS NULL OR (created_at, id) > ($5, $6::uuid))
        ORDER BY created_at, id LIMIT $7`,
      [q.taxNo ?? null, q.period ?? null, q.type ?? null, q.state ?? null, after?.createdAt ?? null, after?.id ?? null, q.limit],
    )) as Record<string, unknown>[];
    return rows.map(toFindingRow);
  }

  async get(m: EntityManager, id: string, lock = false): Promise<FindingRow | null> {
    const rows = (await m.query(`SELECT ${FINDING_COLUMNS} FROM findings WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id])) as Record<string, unknown>[];
    return rows[0] ? toFindingRow(rows[0]) : null;
  }

  async byInvoice(invoiceKey: string): Promise<FindingRow[]> {
    const rows = (await this.dataSource.query(`SELECT ${FINDING_COLUMNS} FROM findings WHERE invoice_key = $1 ORDER BY created_at, id`, [
      invoiceKey,
    ])) as Record<string, unknown>[];
    return rows.map(toFindingRow);
  }

  async histories(m: EntityManager, ids: string[]): Promise<Map<string, HistoryView[]>> {
    const rows = (await m.query(
      `SELECT finding_id, from_state, to_state, action, actor, reason, run_id, at FROM finding_history WHERE finding_id = ANY($1::uuid[]) ORDER BY id`,
      [ids],
    )) as { finding_id: string; from_state: string | null; to_state: string; action: string; actor: string; reason: string | null; run_id: string | null; at: Date }[];
    const map = new Map<string, HistoryView[]>();
    for (const r of rows) {
      const list = map.get(r.finding_id) ?? [];
      list.push({ fromState: r.from_state, toState: r.to_state, action: r.action, actor: r.actor, reason: r.reason, runId: r.run_id, at: new Date(r.at).toISOString() });
      map.set(r.finding_id, list);
    }
    return map;
  }
}
