import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { AppError } from '@lib/common';
import { Actor, BranchScope, scopeParam } from '../auth/principal';
import { PlatformErrorCode } from '../platform-error-codes';

export interface AuditEntry {
  at: Date;
  actor: Actor;
  /** `<thing>.<verb>`: finding.ignore, device.register, routing.update… */
  action: string;
  targetType: string;
  targetId: string;
  taxNo?: string | null;
  branchId?: string | null;
  reason?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditRecord {
  id: string;
  service: string;
  at: string;
  actor: Actor;
  action: string;
  target: { type: string; id: string };
  taxNo: string | null;
  branchId: string | null;
  reason: string | null;
  detail: Record<string, unknown>;
}

export const auditQuerySchema = z.object({
  /** Opaque cursor from the previous page (newest first). */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  actor: z.string().min(1).max(200).optional(),
  action: z.string().min(1).max(100).optional(),
  targetType: z.string().min(1).max(50).optional(),
  targetId: z.string().min(1).max(200).optional(),
});
export type AuditQuery = z.output<typeof auditQuerySchema>;

/** Writes audit entries inside the caller's transaction and reads them newest first, within a branch scope. */
@Injectable()
export class AuditLog {
  constructor(
    private readonly dataSource: DataSource,
    private readonly service: string,
  ) {}

  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (at, actor_kind, actor_subject, actor_name, action, target_type, target_id, tax_no, branch_id, reason, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        entry.at,
        entry.actor.kind,
        entry.actor.subject.slice(0, 200),
        entry.actor.name.slice(0, 200),
        entry.action,
        entry.targetType,
        entry.targetId,
        entry.taxNo ?? null,
        entry.branchId ?? null,
        entry.reason ?? null,
        JSON.stringify(entry.detail ?? {}),
      ],
    );
  }

  async list(
    scope: BranchScope,
    q: AuditQuery,
  ): Promise<{ items: AuditRecord[]; nextCursor: string | null }> {
    const after = q.cursor ? decodeCursor(q.cursor) : null;
    const rows = (await this.dataSource.query(
      `SELECT id, at, actor_kind, actor_subject, actor_name, action, target_type, target_id, tax_no, branch_id, reason, detail
         FROM audit_log
        WHERE ($1::text[] IS NULL OR branch_id = ANY($1::text[]))
          AND ($2::text IS NULL OR actor_subject = $2 OR actor_name = $2)
          AND ($3::text IS NULL OR action = $3)
          AND ($4::text IS NULL OR target_type = $4)
          AND ($5::text IS NULL OR target_id = $5)
          AND ($6::timestamptz IS NULL OR (at, id) < ($6::timestamptz, $7::bigint))
        ORDER BY at DESC, id DESC
        LIMIT $8`,
      [
        scopeParam(scope),
        q.actor ?? null,
        q.action ?? null,
        q.targetType ?? null,
        q.targetId ?? null,
        after?.at ?? null,
        after?.id ?? null,
        q.limit,
      ],
    )) as AuditRow[];
    const items = rows.map((row) => this.toRecord(row));
    const last = items[items.length - 1];
    return { items, nextCursor: items.length === q.limit && last ? encodeCursor(last.at, last.id) : null };
  }

  private toRecord(row: AuditRow): AuditRecord {
    return {
      id: String(row.id),
      service: this.service,
      at: new Date(row.at).toISOString(),
      actor: { kind: row.actor_kind, subject: row.actor_subject, name: row.actor_name },
      action: row.action,
      target: { type: row.target_type, id: row.target_id },
      taxNo: row.tax_no,
      branchId: row.branch_id,
      reason: row.reason,
      detail: row.detail ?? {},
    };
  }
}

interface AuditRow {
  id: string;
  at: Date;
  actor_kind: 'person' | 'service';
  actor_subject: string;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string;
  tax_no: string | null;
  branch_id: string | null;
  reason: string | null;
  detail: Record<string, unknown> | null;
}

function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    if (Number.isNaN(new Date(at).getTime()) || !/^\d{1,19}$/.test(id)) throw new Error('bad cursor');
    return { at, id };
  } catch {
    throw new AppError(PlatformErrorCode.INVALID_CURSOR, 'validation', 'cursor is not one this API returned');
  }
}
