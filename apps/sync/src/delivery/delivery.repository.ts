import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { InvoiceEventKind } from '@lib/domain';
import { TargetName } from '@lib/providers';
import { queryRows } from '@lib/persistence';
import { DeliveryStatus, DeliveryUpdate, WaitingFor } from './delivery.model';
import { BacklogStats } from './delivery.metrics';
import { returningRows } from '../persistence/returning-rows';

export interface NewDelivery {
  invoiceKey: string;
  kind: InvoiceEventKind;
  target: TargetName;
  taxNo: string;
  serialNo: string;
  dependsOnKey: string | null;
  /** Null while waiting for the predecessor; otherwise when it is due. */
  dueAt: Date | null;
  waitingFor: WaitingFor | null;
}

export interface DeliveryRow {
  id: string;
  invoice_key: string;
  event_kind: InvoiceEventKind;
  target: TargetName;
  tax_no: string;
  status: DeliveryStatus;
  waiting_for: WaitingFor | null;
  depends_on_key: string | null;
  serial_no: string;
  generation: number;
  attempts: number;
  polls: number;
  claims: number;
  due_at: Date | null;
  needs_lookup: boolean;
  pending_since: Date | null;
  relay_via: 'baiwang' | 'nuonuo' | null;
  target_record_id: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  reopened_by: string | null;
  reopen_attempt: number;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

/** Writes and reads of `deliveries` that are not the worker's claim (see DeliveryClaimRepository). */
@Injectable()
export class DeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts deliveries that do not exist yet (one per invoice, kind and target); returns how many were new. */
  async createMany(manager: EntityManager, rows: NewDelivery[], now: Date): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted = await queryRows<{ id: string }>(
      manager,
      `INSERT INTO deliveries (invoice_key, event_kind, target, tax_no, status, serial_no, depends_on_key, due_at,
                               waiting_for, created_at, updated_at)
       SELECT k, e, t, x, 'pending', s, d, due, w, $9, $9
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
              AS u(k, e, t, x, s, d, due, w)
       ON CONFLICT (invoice_key, event_kind, target) DO NOTHING
       RETURNING id`,
      [
        rows.map((r) => r.invoiceKey),
        rows.map((r) => r.kind),
        rows.map((r) => r.target),
        rows.map((r) => r.taxNo),
        rows.map((r) => r.serialNo),
        rows.map((r) => r.dependsOnKey),
        rows.map((r) => r.dueAt),
        rows.map((r) => r.waitingFor),
        now,
      ],
    );
    return inserted.length;
  }

  /** The status of the delivery that creates `invoiceKey` (its issue or red issue) at each target. */
  async creationStatuses(manager: EntityManager, invoiceKey: string): Promise<Map<TargetName, DeliveryStatus>> {
    const rows = await queryRows<{ target: TargetName; status: DeliveryStatus }>(
      manager,
      `SELECT target, status FROM deliveries WHERE invoice_key = $1 AND event_kind IN ('issued', 'red-issued')`,
      [invoiceKey],
    );
    return new Map(rows.map((r) => [r.target, r.status]));
  }

  /** Records the outcome of an attempt, only if this claim still owns the row (a stale worker writes nothing). */
  async applyUpdate(manager: EntityManager, id: string, claims: number, update: DeliveryUpdate, serialNo: string, now: Date): Promise<boolean> {
    const rows = await returningRows<{ id: string }>(
      manager,
      `UPDATE deliveries SET status = $3, due_at = $4, attempts = $5, polls = $6, needs_lookup = $7, pending_since = $8,
              generation = $9, waiting_for = $10, relay_via = $11, target_record_id = COALESCE($12, target_record_id),
              last_error_code = $13, last_error_message = $14, completed_at = $15, serial_no = $16, updated_at = $17
        WHERE id = $1 AND claims = $2 AND status = 'sending'
        RETURNING id`,
      [
        id, claims, update.status, update.dueAt, update.attempts, update.polls, update.needsLookup, update.pendingSince,
        update.generation, update.waitingFor, update.relayVia, update.targetRecordId, update.errorCode,
        update.errorMessage?.slice(0, 1000) ?? null, update.completedAt, serialNo, now,
      ],
    );
    return rows.length === 1;
  }

  /** Makes deliveries that waited for `invoiceKey` to reach `target` due now (a red or void after its issue). */
  async releaseDependents(manager: EntityManager, invoiceKey: string, target: TargetName, now: Date): Promise<number> {
    const rows = await returningRows<{ id: string }>(
      manager,
      `UPDATE deliveries SET waiting_for = NULL, due_at = $3, updated_at = $3
        WHERE waiting_for = 'predecessor' AND depends_on_key = $1 AND target = $2 AND status = 'pending'
        RETURNING id`,
      [invoiceKey, target, now],
    );
    return rows.length;
  }

  /**
   * Safety net run by the workers: releases waiting deliveries whose predecessor was delivered by a
   * transaction that committed after theirs was written (both ran concurrently, neither saw the other).
   */
  async releaseOverlooked(now: Date, limit = 1000): Promise<number> {
    const rows = await returningRows<{ id: string }>(
      this.dataSource.manager,
      `UPDATE deliveries d SET waiting_for = NULL, due_at = $1, updated_at = $1
        WHERE d.id IN (
          SELECT w.id FROM deliveries w
            JOIN deliveries p ON p.invoice_key = w.depends_on_key AND p.target = w.target
                             AND p.event_kind IN ('issued', 'red-issued') AND p.status IN ('accepted', 'relayed')
           WHERE w.waiting_for = 'predecessor' AND w.status = 'pending'
           LIMIT $2)
        RETURNING d.id`,
      [now, limit],
    );
    return rows.length;
  }

  /** Backlog per target for the metrics: open, due now, waiting, and the age of the oldest due one. */
  async backlog(now: Date): Promise<BacklogStats[]> {
    const rows = await queryRows<{ target: TargetName; open: number; due: number; waiting: number; oldest: number | null }>(
      this.dataSource.manager,
      `SELECT t.target, count(d.id)::int AS open,
              count(d.id) FILTER (WHERE d.due_at <= $1)::int AS due,
              count(d.id) FILTER (WHERE d.waiting_for IS NOT NULL)::int AS waiting,
              EXTRACT(EPOCH FROM ($1 - min(d.due_at) FILTER (WHERE d.due_at <= $1)))::float8 AS oldest
         FROM unnest(ARRAY['authority', 'baiwang', 'nuonuo']) AS t(target)
         LEFT JOIN deliveries d ON d.target = t.target AND d.status IN ('pending', 'sending')
        GROUP BY t.target`,
      [now],
    );
    return rows.map((r) => ({ target: r.target, open: r.open, due: r.due, waiting: r.waiting, oldestDueAgeSeconds: r.oldest ?? 0 }));
  }

  /** Makes a platform delivery due now (an authority delivery is being relayed through it). */
  async hurry(manager: EntityManager, invoiceKey: string, kind: InvoiceEventKind, target: TargetName, now: Date): Promise<void> {
    await manager.query(
      `UPDATE deliveries SET due_at = $4, updated_at = $4
        WHERE invoice_key = $1 AND event_kind = $2 AND target = $3 AND status = 'pending' AND waiting_for IS NULL AND due_at > $4`,
      [invoiceKey, kind, target, now],
    );
  }

  async findByInvoice(manager: EntityManager, invoiceKey: string, kind: InvoiceEventKind, target: TargetName): Promise<DeliveryRow | undefined> {
    const rows = await queryRows<DeliveryRow>(
      manager,
      'SELECT * FROM deliveries WHERE invoice_key = $1 AND event_kind = $2 AND target = $3 FOR UPDATE',
      [invoiceKey, kind, target],
    );
    return rows[0];
  }

  async listForInvoices(invoiceKeys: string[]): Promise<DeliveryRow[]> {
    return queryRows<DeliveryRow>(
      this.dataSource.manager,
      'SELECT * FROM deliveries WHERE invoice_key = ANY($1) ORDER BY id',
      [invoiceKeys],
    );
  }

  async list(filter: { status?: DeliveryStatus; target?: TargetName; afterId?: string; limit: number }): Promise<DeliveryRow[]> {
    return queryRows<DeliveryRow>(
      this.dataSource.manager,
      `SELECT * FROM deliveries
        WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR target = $2) AND ($3::bigint IS NULL OR id > $3)
        ORDER BY id LIMIT $4`,
      [filter.status ?? null, filter.target ?? null, filter.afterId ?? null, filter.limit],
    );
  }
}
