import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BranchScope, scopeParam } from '@lib/platform';
import { CORRECTION_COLUMNS, actorFromColumns, toCorrectionRow } from './correction.mapper';
import { CorrectionHistoryEntry, CorrectionRow, CorrectionState, FormStateEntry } from './correction.model';

/** Corrections as the API reads them: one, a page, a correction's history and its form's states. */
@Injectable()
export class CorrectionsQueryRepository {
  /**
   * One correction within the scope (null: unknown or outside it). `lock`: its finding first, then the request (the
   * order of the tracker and of runs), so a decision never interleaves with a round or a run.
   */
  async get(m: EntityManager, id: string, scope: BranchScope, lock = false): Promise<CorrectionRow | null> {
    if (lock) {
      const locked = (await m.query(
        `SELECT f.id FROM findings f WHERE f.id = (SELECT c.finding_id FROM correction_requests c WHERE c.id = $1)
            AND ($2::text[] IS NULL OR f.branch_id = ANY($2::text[])) FOR UPDATE`,
        [id, scopeParam(scope)],
      )) as unknown[];
      if (locked.length === 0) return null;
    }
    const rows = (await m.query(
      `SELECT ${CORRECTION_COLUMNS} FROM correction_requests c JOIN findings f ON f.id = c.finding_id
        WHERE c.id = $1 AND ($2::text[] IS NULL OR f.branch_id = ANY($2::text[])) ${lock ? 'FOR UPDATE OF c' : ''}`,
      [id, scopeParam(scope)],
    )) as Record<string, unknown>[];
    return rows[0] ? toCorrectionRow(rows[0]) : null;
  }

  async list(
    m: EntityManager,
    scope: BranchScope,
    q: {
      state?: CorrectionState;
      taxNo?: string;
      findingId?: string;
      after: { at: string; id: string } | null;
      limit: number;
    },
  ): Promise<CorrectionRow[]> {
    const rows = (await m.query(
      `SELECT * FROM (SELECT ${CORRECTION_COLUMNS} FROM correction_requests c JOIN findings f ON f.id = c.finding_id
                        WHERE ($1::text[] IS NULL OR f.branch_id = ANY($1::text[]))
                          AND ($2::text IS NULL OR c.tax_no = $2) AND ($3::uuid IS NULL OR c.finding_id = $3)
                          AND ($4::timestamptz IS NULL OR (c.created_at, c.id) < ($4::timestamptz, $5::uuid))) x
        WHERE ($6::text IS NULL OR x.state = $6)
        ORDER BY x.created_at DESC, x.id DESC LIMIT $7`,
      [
        scopeParam(scope),
        q.taxNo ?? null,
        q.findingId ?? null,
        q.after?.at ?? null,
        q.after?.id ?? null,
        q.state ?? null,
        q.limit + 1,
      ],
    )) as Record<string, unknown>[];
    return rows.map(toCorrectionRow);
  }

  async history(m: EntityManager, id: string): Promise<CorrectionHistoryEntry[]> {
    const rows = (await m.query(
      `SELECT at, action, actor_kind, actor, actor_name, reason, detail FROM correction_history WHERE correction_id = $1 ORDER BY seq`,
      [id],
    )) as Record<string, unknown>[];
    return rows.map((r) => ({
      at: new Date(r.at as string),
      action: String(r.action),
      actor: actorFromColumns(r.actor_kind, r.actor, r.actor_name)!,
      reason: (r.reason as string | null) ?? null,
      detail: (r.detail as Record<string, unknown>) ?? {},
    }));
  }

  async formHistory(
    m: EntityManager,
    c: Pick<CorrectionRow, 'findingId' | 'attempt'>,
  ): Promise<FormStateEntry[]> {
    const rows = (await m.query(
      `SELECT form_id, from_state, to_state, form_updated_at, observed_at FROM correction_form_history
        WHERE finding_id = $1 AND attempt = $2 ORDER BY id`,
      [c.findingId, c.attempt],
    )) as Record<string, unknown>[];
    return rows.map((r) => ({
      formId: String(r.form_id),
      fromState: (r.from_state as string | null) ?? null,
      toState: String(r.to_state),
      formUpdatedAt: new Date(r.form_updated_at as string),
      observedAt: new Date(r.observed_at as string),
    }));
  }
}
