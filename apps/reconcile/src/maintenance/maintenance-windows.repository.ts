import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MaintenanceState, MaintenanceTarget } from '@lib/contracts';
import { MaintenanceSpan } from './maintenance-hold.rules';
import { MaintenanceWindow } from './maintenance-window.model';

const COLUMNS = `id, target, starts_at, ends_at, reason, tax_nos, state, revision, cancel_reason,
  created_by_kind, created_by_subject, created_by_name, created_at, updated_by_kind, updated_by_subject, updated_by_name, updated_at`;

interface Row {
  id: string;
  target: MaintenanceTarget;
  starts_at: Date;
  ends_at: Date;
  reason: string;
  tax_nos: string[] | null;
  state: MaintenanceState;
  revision: number;
  cancel_reason: string | null;
  created_by_kind: 'person' | 'service';
  created_by_subject: string;
  created_by_name: string;
  created_at: Date;
  updated_by_kind: 'person' | 'service';
  updated_by_subject: string;
  updated_by_name: string;
  updated_at: Date;
}

function toWindow(r: Row): MaintenanceWindow {
  return {
    id: r.id,
    target: r.target,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    reason: r.reason,
    taxNos: r.tax_nos,
    state: r.state,
    revision: r.revision,
    cancelReason: r.cancel_reason,
    createdBy: { kind: r.created_by_kind, subject: r.created_by_subject, name: r.created_by_name },
    createdAt: r.created_at,
    updatedBy: { kind: r.updated_by_kind, subject: r.updated_by_subject, name: r.updated_by_name },
    updatedAt: r.updated_at,
  };
}

export interface ListWindowsFilter {
  state?: MaintenanceState;
  target?: MaintenanceTarget;
  after?: { at: string; id: string };
  limit: number;
}

/** maintenance_windows: the admin API's writes and reads, and the spans the comparison holds findings for. */
@Injectable()
export class MaintenanceWindowsRepository {
  async insert(m: EntityManager, w: MaintenanceWindow): Promise<void> {
    await m.query(
      `INSERT INTO maintenance_windows (${COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [w.id, w.target, w.startsAt, w.endsAt, w.reason, w.taxNos, w.state, w.revision, w.cancelReason,
        w.createdBy.kind, w.createdBy.subject, w.createdBy.name, w.createdAt,
        w.updatedBy.kind, w.updatedBy.subject, w.updatedBy.name, w.updatedAt],
    );
  }

  /** The window, locked for a change when `forUpdate` (changes of one window are applied one after the other). */
  async get(m: EntityManager, id: string, forUpdate = false): Promise<MaintenanceWindow | null> {
    const rows = (await m.query(`SELECT ${COLUMNS} FROM maintenance_windows WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`, [id])) as Row[];
    return rows[0] ? toWindow(rows[0]) : null;
  }

  async update(m: EntityManager, w: MaintenanceWindow): Promise<void> {
    await m.query(
      `UPDATE maintenance_windows SET target = $2, starts_at = $3, ends_at = $4, reason = $5, tax_nos = $6, state = $7,
              revision = $8, cancel_reason = $9, updated_by_kind = $10, updated_by_subject = $11, updated_by_name = $12, updated_at = $13
        WHERE id = $1`,
      [w.id, w.target, w.startsAt, w.endsAt, w.reason, w.taxNos, w.state, w.revision, w.cancelReason,
        w.updatedBy.kind, w.updatedBy.subject, w.updatedBy.name, w.updatedAt],
    );
  }

  /** Newest start first (starts_at, id), `limit + 1` rows so the caller can tell whether a next page exists. */
  async list(m: EntityManager, f: ListWindowsFilter): Promise<MaintenanceWindow[]> {
    const rows = (await m.query(
      `SELECT ${COLUMNS} FROM maintenance_windows
        WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR target = $2)
          AND ($3::timestamptz IS NULL OR (starts_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY starts_at DESC, id DESC LIMIT $5`,
      [f.state ?? null, f.target ?? null, f.after?.at ?? null, f.after?.id ?? null, f.limit + 1],
    )) as Row[];
    return rows.map(toWindow);
  }

  /**
   * The scheduled windows of a taxpayer (its own or every taxpayer's) that began by `now` and whose end plus the grace
   * is after `since`: what a comparison at `now` holds findings for, and what paused its incompleteness clock since.
   */
  async spans(m: EntityManager, taxNo: string, since: Date, now: Date, graceMs: number): Promise<MaintenanceSpan[]> {
    const rows = (await m.query(
      `SELECT id, target, starts_at, ends_at FROM maintenance_windows
        WHERE state = 'scheduled' AND starts_at <= $3 AND ends_at + ($4::bigint * interval '1 millisecond') > $2
          AND (tax_nos IS NULL OR $1 = ANY(tax_nos))
        ORDER BY starts_at, id`,
      [taxNo, since, now, graceMs],
    )) as Pick<Row, 'id' | 'target' | 'starts_at' | 'ends_at'>[];
    return rows.map((r) => ({
      windowId: r.id,
      target: r.target,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      holdUntil: new Date(r.ends_at.getTime() + graceMs),
    }));
  }
}
