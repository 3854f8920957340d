import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FindingState, FindingType } from '@lib/contracts';
import { returningRows } from '../persistence/returning-rows';
import { Discrepancy, FindingRow } from './finding.model';
import { FINDING_COLUMNS, toFindingRow } from './finding.mapper';

export interface HistoryEntry {
  findingId: string;
  fromState: FindingState | null;
  toState: FindingState;
  action: string;
  actor: string;
  reason: string | null;
  runId: string | null;
}

/** Findings and their history: batch reads for a run, batch upsert by (scope, type, subject), history appends. */
@Injectable()
export class FindingsRepository {
  /** A page of a run's discrepancies that are findings (not pending), in (type, subject) order. */
  async discrepancies(m: EntityManager, runId: string, after: [string, string] | null, limit: number): Promise<Discrepancy[]> {
    // Two statements rather than `$2 IS NULL OR (type, subject) > …`: the OR would keep the planner off the primary key.
    const rows = (await m.query(
      after
        ? `SELECT type, subject, invoice_key, device_id, facts FROM run_discrepancies
            WHERE run_id = $1 AND (type, subject) > ($2, $3) AND type <> 'PENDING_VISIBILITY' ORDER BY type, subject LIMIT $4`
        : `SELECT type, subject, invoice_key, device_id, facts FROM run_discrepancies
            WHERE run_id = $1 AND type <> 'PENDING_VISIBILITY' ORDER BY type, subject LIMIT $2`,
      after ? [runId, after[0], after[1], limit] : [runId, limit],
    )) as { type: FindingType; subject: string; invoice_key: string | null; device_id: string | null; facts: Record<string, unknown> }[];
    return rows.map((r) => ({ type: r.type, subject: r.subject, invoiceKey: r.invoice_key, deviceId: r.device_id, facts: r.facts }));
  }

  /** The existing findings of these subjects, locked until the run commits (a person's action waits, then applies). */
  async lockExisting(m: EntityManager, taxNo: string, period: string, batch: Discrepancy[]): Promise<Map<string, FindingRow>> {
    const rows = (await m.query(
      `SELECT ${FINDING_COLUMNS} FROM findings f
        WHERE tax_no = $1 AND period = $2 AND (type, subject) IN (SELECT * FROM unnest($3::text[], $4::text[]))
        FOR UPDATE`,
      [taxNo, period, batch.map((d) => d.type), batch.map((d) => d.subject)],
    )) as Record<string, unknown>[];
    return new Map(rows.map(toFindingRow).map((f) => [`${f.type}\u0000${f.subject}`, f]));
  }

  async upsert(m: EntityManager, rows: FindingRow[], runId: string): Promise<void> {
    if (rows.length === 0) return;
    const col = <K extends keyof FindingRow>(k: K) => rows.map((r) => r[k]);
    await m.query(
      `INSERT INTO findings AS f (id, tax_no, period, type, subject, state, severity, branch_id, device_id, invoice_key, invoice_type,
         invoice_code, invoice_number, explanation, evidence, remediation_attempts, last_remediated_at, last_run_id, created_at, updated_at)
       SELECT id, tax_no, period, type, subject, state, severity, branch_id, device_id, invoice_key, invoice_type, invoice_code,
              invoice_number, explanation, evidence, attempts, remediated_at, $20, created_at, updated_at
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                     $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::jsonb[], $16::int[], $17::timestamptz[],
                     $18::timestamptz[], $19::timestamptz[])
           AS t(id, tax_no, period, type, subject, state, severity, branch_id, device_id, invoice_key, invoice_type, invoice_code,
                invoice_number, explanation, evidence, attempts, remediated_at, created_at, updated_at)
       ON CONFLICT (tax_no, period, type, subject) DO UPDATE SET
         state = EXCLUDED.state, severity = EXCLUDED.severity, branch_id = COALESCE(EXCLUDED.branch_id, f.branch_id),
         explanation = EXCLUDED.explanation, evidence = EXCLUDED.evidence, remediation_attempts = EXCLUDED.remediation_attempts,
         last_remediated_at = EXCLUDED.last_remediated_at, last_run_id = EXCLUDED.last_run_id,
         updated_at = CASE WHEN (f.state, f.severity, f.explanation) IS DISTINCT FROM (EXCLUDED.state, EXCLUDED.severity, EXCLUDED.explanation)
                           THEN EXCLUDED.updated_at ELSE f.updated_at END`,
      [
        col('id'), col('taxNo'), col('period'), col('type'), col('subject'), col('state'), col('severity'), col('branchId'),
        col('deviceId'), col('invoiceKey'), col('invoiceType'), col('invoiceCode'), col('invoiceNumber'), col('explanation'),
        rows.map((r) => JSON.stringify(r.evidence)), col('remediationAttempts'), col('lastRemediatedAt'), col('createdAt'),
        col('updatedAt'), runId,
      ],
    );
  }

  async appendHistory(m: EntityManager, entries: HistoryEntry[], at: Date): Promise<void> {
    if (entries.length === 0) return;
    await m.query(
      `INSERT INTO finding_history (finding_id, from_state, to_state, action, actor, reason, run_id, at)
       SELECT f, s0, s1, a, who, why, r, $8 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[])
         AS t(f, s0, s1, a, who, why, r)`,
      [
        entries.map((e) => e.findingId), entries.map((e) => e.fromState), entries.map((e) => e.toState), entries.map((e) => e.action),
        entries.map((e) => e.actor), entries.map((e) => e.reason), entries.map((e) => e.runId), at,
      ],
    );
  }

  /**
   * Active findings of the evaluated types whose problem this run no longer sees (an invoice merely
   * pending visibility is still "seen"): resolved, with a sentence saying so. Returns each with its previous state.
   */
  async resolveGone(
    m: EntityManager,
    runId: string,
    taxNo: string,
    period: string,
    types: FindingType[],
    at: Date,
  ): Promise<{ finding: FindingRow; previousState: FindingState }[]> {
    const rows = await returningRows<Record<string, unknown>>(
      m,
      `WITH gone AS (
         SELECT f.id, f.state AS previous_state FROM findings f
          WHERE f.tax_no = $2 AND f.period = $3 AND f.type = ANY($4::text[]) AND f.state IN ('open', 'remediating', 'escalated')
            AND NOT EXISTS (SELECT 1 FROM run_discrepancies d WHERE d.run_id = $1 AND d.subject = f.subject
                              AND (d.type = f.type OR (f.type = 'MISSING_IN_AUTHORITY' AND d.type = 'PENDING_VISIBILITY')))
          FOR UPDATE)
       UPDATE findings f SET state = 'resolved', updated_at = $5, last_run_id = $1,
              explanation = CASE WHEN f.invoice_key IS NOT NULL THEN 'Invoice ' || f.invoice_key ELSE 'Device ' || COALESCE(f.device_id, f.subject) END ||
                ' no longer shows this problem in the latest reconciliation, so the finding was resolved automatically.'
         FROM gone WHERE f.id = gone.id
       RETURNING gone.previous_state, ${FINDING_COLUMNS.replace(/(^|,\s*)(\w+)/g, '$1f.$2')}`,
      [runId, taxNo, period, types, at],
    );
    return rows.map((r) => ({ finding: toFindingRow(r), previousState: r.previous_state as FindingState }));
  }
}
