import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FindingState, FindingType } from '@lib/contracts';
import { Discrepancy, FindingRow } from './finding.model';
import { FINDING_COLUMNS, toFindingRow } from './finding.mapper';
import { returningRows } from '@lib/persistence';
import type { Actor } from '@lib/platform';

export interface HistoryEntry {
  findingId: string;
  fromState: FindingState | null;
  toState: FindingState;
  action: string;
  actor: Actor;
  reason: string | null;
  runId: string | null;
}

/** One discrepancy of a run with the finding it already has (null: none yet). */
export interface PendingDecision {
  discrepancy: Discrepancy;
  existing: FindingRow | null;
}

/** Findings and their history: batch reads for a run, batch upsert by (scope, type, subject), history appends. */
@Injectable()
export class FindingsRepository {
  /**
   * Locks every finding of the scope, in id order, in one statement, before the run reads any: a person's action
   * (or the correction tracker) on one of them waits for the run's commit and then applies to what the run wrote.
   * Only runs insert findings, and the scope lock serialises them, so no finding of the scope appears after this.
   *
   * Then copies the findings this run's discrepancies already have into a transaction-local table, in one join:
   * the pages below look them up there. Joining each page to `findings` itself would be planned from statistics
   * that do not count the run's own inserts, and could scan every finding written so far, page after page.
   */
  async lockScope(m: EntityManager, scope: { runId: string; taxNo: string; period: string }): Promise<void> {
    await m.query(
      `SELECT COUNT(*) FROM (SELECT 1 FROM findings WHERE tax_no = $1 AND period = $2 ORDER BY id FOR UPDATE) locked`,
      [scope.taxNo, scope.period],
    );
    await m.query('DROP TABLE IF EXISTS merge_existing');
    await m.query(
      `CREATE TEMP TABLE merge_existing ON COMMIT DROP AS
         SELECT d.type, d.subject, row_to_json(f) AS finding
           FROM run_discrepancies d JOIN findings f ON f.tax_no = $2 AND f.period = $3 AND f.type = d.type AND f.subject = d.subject
          WHERE d.run_id = $1 AND d.type <> 'PENDING_VISIBILITY'`,
      [scope.runId, scope.taxNo, scope.period],
    );
    await m.query('ALTER TABLE merge_existing ADD PRIMARY KEY (type, subject)');
    await m.query('ANALYZE merge_existing');
  }

  /**
   * A page of a run's discrepancies that are findings (not pending), in (type, subject) order, each with the
   * finding it had before the run (from lockScope's copy).
   */
  async discrepancies(
    m: EntityManager,
    runId: string,
    after: [string, string] | null,
    limit: number,
  ): Promise<PendingDecision[]> {
    // Two statements rather than `$2 IS NULL OR (type, subject) > …`: the OR would keep the planner off the primary key.
    const select = `SELECT d.type, d.subject, d.invoice_key, d.device_id, d.facts, e.finding AS existing
       FROM run_discrepancies d LEFT JOIN merge_existing e ON e.type = d.type AND e.subject = d.subject
      WHERE d.run_id = $1 AND d.type <> 'PENDING_VISIBILITY'`;
    const rows = (await m.query(
      after
        ? `${select} AND (d.type, d.subject) > ($2, $3) ORDER BY d.type, d.subject LIMIT $4`
        : `${select} ORDER BY d.type, d.subject LIMIT $2`,
      after ? [runId, after[0], after[1], limit] : [runId, limit],
    )) as {
      type: FindingType;
      subject: string;
      invoice_key: string | null;
      device_id: string | null;
      facts: Record<string, unknown>;
      existing: Record<string, unknown> | null;
    }[];
    return rows.map((r) => ({
      discrepancy: {
        type: r.type,
        subject: r.subject,
        invoiceKey: r.invoice_key,
        deviceId: r.device_id,
        facts: r.facts,
      },
      existing: r.existing ? toFindingRow(r.existing) : null,
    }));
  }

  /**
   * Inserts or updates a page of findings by (scope, type, subject). The page goes over as one JSON document
   * (serialised natively, parsed once by PostgreSQL) rather than twenty arrays escaped value by value. With
   * `factsOfRun`, a row's evidence is its discrepancy's facts in that run (still in run_discrepancies: they are not
   * sent back) merged with the row's `evidence`, which then carries only what the decision added.
   */
  async upsert(m: EntityManager, rows: FindingRow[], runId: string, factsOfRun = false): Promise<void> {
    if (rows.length === 0) return;
    const evidence = factsOfRun ? `d.facts || COALESCE(t.evidence, '{}'::jsonb)` : 't.evidence';
    const facts = factsOfRun
      ? 'JOIN run_discrepancies d ON d.run_id = $2 AND d.type = t.type AND d.subject = t.subject'
      : '';
    await m.query(
      `INSERT INTO findings AS f (id, tax_no, period, type, subject, state, severity, branch_id, device_id, invoice_key, invoice_type,
         invoice_code, invoice_number, explanation, evidence, remediation_attempts, last_remediated_at, last_run_id, created_at, updated_at)
       SELECT t.id, t."taxNo", t.period, t.type, t.subject, t.state, t.severity, t."branchId", t."deviceId", t."invoiceKey", t."invoiceType",
              t."invoiceCode", t."invoiceNumber", t.explanation, ${evidence}, t."remediationAttempts", t."lastRemediatedAt", $2, t."createdAt",
              t."updatedAt"
         FROM json_to_recordset($1::json) AS t(id uuid, "taxNo" text, period text, type text, subject text, state text, severity text,
                "branchId" text, "deviceId" text, "invoiceKey" text, "invoiceType" text, "invoiceCode" text, "invoiceNumber" text,
                explanation text, evidence jsonb, "remediationAttempts" int, "lastRemediatedAt" timestamptz, "createdAt" timestamptz,
                "updatedAt" timestamptz)
         ${facts}
       ON CONFLICT (tax_no, period, type, subject) DO UPDATE SET
         state = EXCLUDED.state, severity = EXCLUDED.severity, branch_id = COALESCE(EXCLUDED.branch_id, f.branch_id),
         explanation = EXCLUDED.explanation, evidence = EXCLUDED.evidence, remediation_attempts = EXCLUDED.remediation_attempts,
         last_remediated_at = EXCLUDED.last_remediated_at, last_run_id = EXCLUDED.last_run_id,
         updated_at = CASE WHEN (f.state, f.severity, f.explanation) IS DISTINCT FROM (EXCLUDED.state, EXCLUDED.severity, EXCLUDED.explanation)
                           THEN EXCLUDED.updated_at ELSE f.updated_at END`,
      [JSON.stringify(rows), runId],
    );
  }

  async appendHistory(m: EntityManager, entries: HistoryEntry[], at: Date): Promise<void> {
    if (entries.length === 0) return;
    await m.query(
      `INSERT INTO finding_history (finding_id, from_state, to_state, action, actor_kind, actor, actor_name, reason, run_id, at)
       SELECT "findingId", "fromState", "toState", action, "actorKind", "actorSubject", "actorName", reason, "runId", $2
         FROM json_to_recordset($1::json) AS t("findingId" uuid, "fromState" text, "toState" text, action text, "actorKind" text,
              "actorSubject" text, "actorName" text, reason text, "runId" uuid)`,
      [
        JSON.stringify(
          entries.map(({ actor, ...e }) => ({ ...e, actorKind: actor.kind, actorSubject: actor.subject, actorName: actor.name })),
        ),
        at,
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
    /** Of `types`, those resolved only for the subjects this run actually checked (cmp_checked: a per-invoice pull). */
    checkedOnly: FindingType[] = [],
  ): Promise<{ finding: FindingRow; previousState: FindingState }[]> {
    const onlyChecked = checkedOnly.length
      ? `AND (f.type <> ALL($6::text[]) OR EXISTS (SELECT 1 FROM cmp_checked c WHERE c.subject = f.subject AND c.type = f.type))`
      : '';
    const rows = await returningRows<Record<string, unknown>>(
      m,
      `WITH gone AS (
         SELECT f.id, f.state AS previous_state FROM findings f
          WHERE f.tax_no = $2 AND f.period = $3 AND f.type = ANY($4::text[]) AND f.state IN ('open', 'remediating', 'escalated')
            AND NOT EXISTS (SELECT 1 FROM run_discrepancies d WHERE d.run_id = $1 AND d.subject = f.subject
                              AND (d.type = f.type OR (f.type = 'MISSING_IN_AUTHORITY' AND d.type = 'PENDING_VISIBILITY')))
            ${onlyChecked}
          FOR UPDATE)
       UPDATE findings f SET state = 'resolved', updated_at = $5, last_run_id = $1,
              explanation = CASE WHEN f.invoice_key IS NOT NULL THEN 'Invoice ' || f.invoice_key ELSE 'Device ' || COALESCE(f.device_id, f.subject) END ||
                ' no longer shows this problem in the latest reconciliation, so the finding was resolved automatically.'
         FROM gone WHERE f.id = gone.id
       RETURNING gone.previous_state, ${FINDING_COLUMNS.replace(/(^|,\s*)(\w+)/g, '$1f.$2')}`,
      [runId, taxNo, period, types, at, ...(checkedOnly.length ? [checkedOnly] : [])],
    );
    return rows.map((r) => ({ finding: toFindingRow(r), previousState: r.previous_state as FindingState }));
  }

  /** A person's decision on a finding: its new state and sentence. */
  async setState(m: EntityManager, id: string, state: FindingState, explanation: string, at: Date): Promise<void> {
    await m.query('UPDATE findings SET state = $2, explanation = $3, updated_at = $4 WHERE id = $1', [id, state, explanation, at]);
  }

  /** A re-upload requested for a finding: it is remediating, with this attempt's number and sentence. */
  async markRemediating(m: EntityManager, id: string, attempt: number, explanation: string, at: Date): Promise<void> {
    await m.query(
      'UPDATE findings SET state = $2, explanation = $3, updated_at = $4, remediation_attempts = $5, last_remediated_at = $4 WHERE id = $1',
      [id, 'remediating', explanation, at, attempt],
    );
  }

  /** A finding's sentence and evidence, as the run that changed it last rewrote them (same transaction). */
  async rewriteExplanation(m: EntityManager, id: string, explanation: string, evidence: Record<string, unknown>): Promise<void> {
    await m.query('UPDATE findings SET explanation = $2, evidence = $3::jsonb WHERE id = $1', [id, explanation, JSON.stringify(evidence)]);
  }
}
