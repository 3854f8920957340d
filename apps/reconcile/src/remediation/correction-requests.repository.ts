import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FindingRow } from '../findings/finding.model';
import { FINDING_COLUMNS, toFindingRow } from '../findings/finding.mapper';
import { CorrectionStatus } from './red-form.rules';
import { returningRows } from '@lib/persistence';

/** SQL list of the statuses of a request still followed (`correction_requests_active`: one per finding). */
export const ACTIVE_REQUEST = `('requested', 'submitted', 'confirmed')`;

/** A correction request (红冲 task) as the tracker reads it; a finding's requests are numbered by `attempt`. */
export interface CorrectionRequestRow {
  findingId: string;
  attempt: number;
  invoiceKey: string;
  taxNo: string;
  kind: 'amount' | 'status';
  formId: string | null;
  formState: string | null;
  status: CorrectionStatus;
  createdAt: Date;
  /** Every form the finding's requests followed so far (an earlier correction's form is never adopted again). */
  followedForms: string[];
  /** The correction re-issues the invoice once reversed: the red invoice alone does not complete it. */
  reissue: boolean;
  /** The corrected re-issue a person named (docs/corrections.md, "Re-issue"), if any. */
  reissueInvoiceKey: string | null;
  /** That re-issue was accepted at the authority (directly or through a platform that hands it on). */
  reissueAccepted: boolean;
}

export type RequestKey = Pick<CorrectionRequestRow, 'findingId' | 'attempt'>;

/** A request and its finding, locked, with the finding's latest attempt (to see whether a newer request started). */
export interface LockedRequest {
  request: CorrectionRequestRow;
  finding: FindingRow;
  latestAttempt: number;
}

/** What one round learnt about one request: its form now (or none yet), or why it could not be read. */
export interface CorrectionUpdate extends RequestKey {
  formId: string | null;
  formState: string | null;
  status: CorrectionStatus;
  formStateAt: Date | null;
  nextCheckAt: Date | null;
  error: string | null;
  /** The red invoice the form was used for, once seen. */
  redInvoiceKey?: string | null;
}

/** A request started by the tracker for a new form entered after an escalation (attempt n + 1). */
export interface NewCorrectionRequest extends RequestKey {
  invoiceKey: string;
  taxNo: string;
  kind: 'amount' | 'status';
  formId: string;
  formState: string;
  status: CorrectionStatus;
  formStateAt: Date;
  nextCheckAt: Date | null;
}

export interface FormHistoryEntry extends RequestKey {
  formId: string;
  fromState: string | null;
  toState: string;
  formUpdatedAt: Date;
}

export const requestKey = (r: RequestKey): string => `${r.findingId}#${r.attempt}`;

const REQUEST_COLUMNS = `c.finding_id, c.attempt, c.invoice_key, c.tax_no, c.kind, c.form_id, c.form_state, c.status, c.created_at, c.reissue,
  c.reissue_invoice_key,
  EXISTS (SELECT 1 FROM sync_deliveries d WHERE d.invoice_key = c.reissue_invoice_key AND d.first_accepted_at IS NOT NULL) AS reissue_accepted,
  ARRAY(SELECT p.form_id FROM correction_requests p WHERE p.finding_id = c.finding_id AND p.form_id IS NOT NULL ORDER BY p.attempt) AS followed_forms`;

function toRequest(r: Record<string, unknown>): CorrectionRequestRow {
  return {
    findingId: String(r.finding_id),
    attempt: Number(r.attempt),
    invoiceKey: String(r.invoice_key),
    taxNo: String(r.tax_no),
    kind: r.kind as 'amount' | 'status',
    formId: (r.form_id as string | null) ?? null,
    formState: (r.form_state as string | null) ?? null,
    status: r.status as CorrectionStatus,
    createdAt: new Date(r.created_at as string),
    followedForms: (r.followed_forms as string[] | null) ?? [],
    reissue: r.reissue === true,
    reissueInvoiceKey: (r.reissue_invoice_key as string | null) ?? null,
    reissueAccepted: r.reissue_accepted === true,
  };
}

/** Correction requests and the red-letter forms they follow (`correction_requests`, `correction_form_history`). */
@Injectable()
export class CorrectionRequestsRepository {
  /**
   * Due for a read, oldest check first: the active request of a finding still in remediation, and the void request
   * of a finding escalated over it (watched for a new form; a superseded one is no longer watched). An approved
   * proposal without its form yet is the submitter's until the authority answered (corrections/correction-submitter).
   */
  async due(m: EntityManager, now: Date, limit: number): Promise<CorrectionRequestRow[]> {
    const rows = (await m.query(
      `SELECT ${REQUEST_COLUMNS} FROM correction_requests c JOIN findings f ON f.id = c.finding_id
        WHERE ((c.status IN ${ACTIVE_REQUEST} AND f.state = 'remediating' AND (c.next_check_at IS NULL OR c.next_check_at <= $1)
                AND (c.approval IS DISTINCT FROM 'approved' OR c.form_id IS NOT NULL))
           OR (c.status = 'cancelled' AND f.state = 'escalated' AND c.next_check_at <= $1))
        ORDER BY c.next_check_at NULLS FIRST, c.finding_id LIMIT $2`,
      [now, limit],
    )) as Record<string, unknown>[];
    return rows.map(toRequest);
  }

  /**
   * Locks the findings (in id order, like a run's merge, so the two never wait for each other in a cycle) and
   * then the requests; answers both as they are now, by request key.
   */
  async lock(m: EntityManager, keys: RequestKey[]): Promise<Map<string, LockedRequest>> {
    const findingIds = [...new Set(keys.map((k) => k.findingId))];
    const findings = (await m.query(
      `SELECT ${FINDING_COLUMNS} FROM findings WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [findingIds],
    )) as Record<string, unknown>[];
    const requests = (await m.query(
      `SELECT ${REQUEST_COLUMNS}, (SELECT max(l.attempt) FROM correction_requests l WHERE l.finding_id = c.finding_id) AS latest_attempt
         FROM correction_requests c JOIN unnest($1::uuid[], $2::int[]) AS k(finding_id, attempt) ON k.finding_id = c.finding_id AND k.attempt = c.attempt
        ORDER BY c.finding_id, c.attempt FOR UPDATE OF c`,
      [keys.map((k) => k.findingId), keys.map((k) => k.attempt)],
    )) as Record<string, unknown>[];
    const byId = new Map(findings.map(toFindingRow).map((f) => [f.id, f]));
    const locked = new Map<string, LockedRequest>();
    for (const row of requests) {
      const request = toRequest(row);
      const finding = byId.get(request.findingId);
      if (finding)
        locked.set(requestKey(request), { request, finding, latestAttempt: Number(row.latest_attempt) });
    }
    return locked;
  }

  async update(m: EntityManager, updates: CorrectionUpdate[], now: Date): Promise<void> {
    if (updates.length === 0) return;
    await m.query(
      `UPDATE correction_requests c SET
         form_id = COALESCE(u."formId", c.form_id), form_state = COALESCE(u."formState", c.form_state), status = u.status,
         form_state_at = COALESCE(u."formStateAt", c.form_state_at), next_check_at = u."nextCheckAt", last_error = u.error,
         checks = c.checks + 1, updated_at = $2, red_invoice_key = COALESCE(u."redInvoiceKey", c.red_invoice_key)
         FROM json_to_recordset($1::json) AS u("findingId" uuid, attempt int, "formId" text, "formState" text, status text,
                                               "formStateAt" timestamptz, "nextCheckAt" timestamptz, error text, "redInvoiceKey" text)
        WHERE c.finding_id = u."findingId" AND c.attempt = u.attempt`,
      [JSON.stringify(updates), now],
    );
  }

  /** Starts requests that follow a form from the outset (read once already: `checks` = 1). */
  async start(m: EntityManager, requests: NewCorrectionRequest[], now: Date): Promise<void> {
    if (requests.length === 0) return;
    await m.query(
      `INSERT INTO correction_requests (finding_id, attempt, invoice_key, tax_no, kind, form_id, form_state, status, form_state_at,
                                        next_check_at, checks, created_at, updated_at)
       SELECT "findingId", attempt, "invoiceKey", "taxNo", kind, "formId", "formState", status, "formStateAt", "nextCheckAt", 1, $2, $2
         FROM json_to_recordset($1::json) AS r("findingId" uuid, attempt int, "invoiceKey" text, "taxNo" text, kind text, "formId" text,
                                               "formState" text, status text, "formStateAt" timestamptz, "nextCheckAt" timestamptz)`,
      [JSON.stringify(requests), now],
    );
  }

  async appendFormHistory(m: EntityManager, entries: FormHistoryEntry[], at: Date): Promise<void> {
    if (entries.length === 0) return;
    await m.query(
      `INSERT INTO correction_form_history (finding_id, attempt, form_id, from_state, to_state, form_updated_at, observed_at)
       SELECT "findingId", attempt, "formId", "fromState", "toState", "formUpdatedAt", $2
         FROM json_to_recordset($1::json) AS t("findingId" uuid, attempt int, "formId" text, "fromState" text, "toState" text,
                                               "formUpdatedAt" timestamptz)`,
      [JSON.stringify(entries), at],
    );
  }

  /** Moves findings from one state to another, each with its explanation (the caller locked them). */
  async moveFindings(
    m: EntityManager,
    from: 'remediating' | 'escalated',
    to: 'remediating' | 'escalated' | 'resolved',
    changes: { id: string; explanation: string }[],
    now: Date,
  ): Promise<void> {
    if (changes.length === 0) return;
    await m.query(
      `UPDATE findings f SET state = $3, explanation = e.explanation, updated_at = $2
         FROM json_to_recordset($1::json) AS e(id uuid, explanation text)
        WHERE f.id = e.id AND f.state = $4`,
      [JSON.stringify(changes), now, to, from],
    );
  }

  /**
   * Ends the requests whose finding was resolved or ignored: an active one is `closed`, a void one is no longer
   * watched for a new form. Locks requests only, and skips those a run holds (it reopened their finding and closes
   * them itself, or the next round does): this statement never waits, so it never deadlocks with a run.
   */
  async closeEnded(m: EntityManager, now: Date): Promise<number> {
    const rows = await returningRows<{ status: CorrectionStatus }>(
      m,
      `WITH ended AS (
         SELECT c.finding_id, c.attempt FROM correction_requests c JOIN findings f ON f.id = c.finding_id
          WHERE f.state IN ('resolved', 'ignored')
            AND (c.status IN ${ACTIVE_REQUEST} OR (c.status = 'cancelled' AND c.next_check_at IS NOT NULL))
          ORDER BY c.finding_id, c.attempt
            FOR UPDATE OF c SKIP LOCKED)
       UPDATE correction_requests c
          SET status = CASE WHEN c.status = 'cancelled' THEN 'cancelled' ELSE 'closed' END, next_check_at = NULL, updated_at = $1
         FROM ended e
        WHERE c.finding_id = e.finding_id AND c.attempt = e.attempt
       RETURNING c.status`,
      [now],
    );
    return rows.filter((r) => r.status === 'closed').length;
  }
}
