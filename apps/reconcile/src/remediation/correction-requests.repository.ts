import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FindingRow } from '../findings/finding.model';
import { FINDING_COLUMNS, toFindingRow } from '../findings/finding.mapper';
import { CorrectionStatus } from './red-form.rules';

/** A correction request (红冲 task) as the tracker reads it. */
export interface CorrectionRequestRow {
  findingId: string;
  invoiceKey: string;
  taxNo: string;
  formId: string | null;
  formState: string | null;
  status: CorrectionStatus;
  createdAt: Date;
}

/** What one round learnt about one request: its form now (or none yet), or why it could not be read. */
export interface CorrectionUpdate {
  findingId: string;
  formId: string | null;
  formState: string | null;
  status: CorrectionStatus;
  formStateAt: Date | null;
  nextCheckAt: Date | null;
  error: string | null;
}

export interface FormHistoryEntry {
  findingId: string;
  formId: string;
  fromState: string | null;
  toState: string;
  formUpdatedAt: Date;
}

const REQUEST_COLUMNS = `c.finding_id, c.invoice_key, c.tax_no, c.form_id, c.form_state, c.status, c.created_at`;

function toRequest(r: Record<string, unknown>): CorrectionRequestRow {
  return {
    findingId: String(r.finding_id),
    invoiceKey: String(r.invoice_key),
    taxNo: String(r.tax_no),
    formId: (r.form_id as string | null) ?? null,
    formState: (r.form_state as string | null) ?? null,
    status: r.status as CorrectionStatus,
    createdAt: new Date(r.created_at as string),
  };
}

/** Correction requests and the red-letter forms they follow (`correction_requests`, `correction_form_history`). */
@Injectable()
export class CorrectionRequestsRepository {
  /** Requests of findings still in remediation whose form is not void, due for a read, oldest check first. */
  async due(m: EntityManager, now: Date, limit: number): Promise<CorrectionRequestRow[]> {
    const rows = (await m.query(
      `SELECT ${REQUEST_COLUMNS} FROM correction_requests c JOIN findings f ON f.id = c.finding_id
        WHERE c.status IN ('requested', 'submitted', 'confirmed') AND f.state = 'remediating'
          AND (c.next_check_at IS NULL OR c.next_check_at <= $1)
        ORDER BY c.next_check_at NULLS FIRST, c.finding_id LIMIT $2`,
      [now, limit],
    )) as Record<string, unknown>[];
    return rows.map(toRequest);
  }

  /**
   * Locks the findings (in id order, like a run's merge, so the two never wait for each other in a cycle) and
   * then their requests; answers both as they are now.
   */
  async lock(m: EntityManager, findingIds: string[]): Promise<Map<string, { request: CorrectionRequestRow; finding: FindingRow }>> {
    const findings = (await m.query(`SELECT ${FINDING_COLUMNS} FROM findings WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [
      findingIds,
    ])) as Record<string, unknown>[];
    const requests = (await m.query(
      `SELECT ${REQUEST_COLUMNS} FROM correction_requests c WHERE c.finding_id = ANY($1::uuid[]) ORDER BY c.finding_id FOR UPDATE`,
      [findingIds],
    )) as Record<string, unknown>[];
    const byId = new Map(findings.map(toFindingRow).map((f) => [f.id, f]));
    const locked = new Map<string, { request: CorrectionRequestRow; finding: FindingRow }>();
    for (const request of requests.map(toRequest)) {
      const finding = byId.get(request.findingId);
      if (finding) locked.set(request.findingId, { request, finding });
    }
    return locked;
  }

  async update(m: EntityManager, updates: CorrectionUpdate[], now: Date): Promise<void> {
    if (updates.length === 0) return;
    await m.query(
      `UPDATE correction_requests c SET
         form_id = COALESCE(u."formId", c.form_id), form_state = COALESCE(u."formState", c.form_state), status = u.status,
         form_state_at = COALESCE(u."formStateAt", c.form_state_at), next_check_at = u."nextCheckAt", last_error = u.error,
         checks = c.checks + 1, updated_at = $2
         FROM json_to_recordset($1::json) AS u("findingId" uuid, "formId" text, "formState" text, status text, "formStateAt" timestamptz,
                                               "nextCheckAt" timestamptz, error text)
        WHERE c.finding_id = u."findingId"`,
      [JSON.stringify(updates), now],
    );
  }

  async appendFormHistory(m: EntityManager, entries: FormHistoryEntry[], at: Date): Promise<void> {
    if (entries.length === 0) return;
    await m.query(
      `INSERT INTO correction_form_history (finding_id, form_id, from_state, to_state, form_updated_at, observed_at)
       SELECT "findingId", "formId", "fromState", "toState", "formUpdatedAt", $2
         FROM json_to_recordset($1::json) AS t("findingId" uuid, "formId" text, "fromState" text, "toState" text, "formUpdatedAt" timestamptz)`,
      [JSON.stringify(entries), at],
    );
  }

  /** Moves findings still in remediation to escalated, each with its explanation (the caller locked them). */
  async escalate(m: EntityManager, escalations: { id: string; explanation: string }[], now: Date): Promise<void> {
    if (escalations.length === 0) return;
    await m.query(
      `UPDATE findings f SET state = 'escalated', explanation = e.explanation, updated_at = $2
         FROM json_to_recordset($1::json) AS e(id uuid, explanation text)
        WHERE f.id = e.id AND f.state = 'remediating'`,
      [JSON.stringify(escalations), now],
    );
  }
}
