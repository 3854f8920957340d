import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { InvoiceEventKind } from '@lib/domain';
import { TargetName } from '@lib/providers';
import { queryRows, returningRows } from '@lib/persistence';
import { DeliveryStatus, DeliveryUpdate, WaitingFor } from './delivery.model';
import { BacklogStats } from './delivery.metrics';

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
  /** The invoice's branch, when the query joined the ledger. */
  branch_id?: string | null;
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
  relay_via: string | null;
  target_record_id: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  reopened_by: string | null;
  reopen_attempt: number;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

/** One recorded outcome: written only if claim number `claims` still owns row `id`. */
export interface OwnedUpdate {
  id: string;
  claims: number;
  update: DeliveryUpdate;
  serialNo: string;
  now: Date;
}

/** A finished delivery opened again: waiting for its predecessor (`dueAt` null) or due at `dueAt`. */
export interface Reopening {
  generation: number;
  serialNo: string;
  waitingFor: 'predecessor' | null;
  dueAt: Date | null;
  reopenedBy: string;
  reopenAttempt: number;
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
  async creationStatuses(
    manager: EntityManager,
    invoiceKey: string,
  ): Promise<Map<TargetName, DeliveryStatus>> {
    const rows = await queryRows<{ target: TargetName; status: DeliveryStatus }>(
      manager,
      `SELECT target, status FROM deliveries WHERE invoice_key = $1 AND event_kind IN ('issued', 'red-issued')`,
      [invoiceKey],
    );
    return new Map(rows.map((r) => [r.target, r.status]));
  }

  /** Records the outcome of an attempt, only if this claim still owns the row (a stale worker writes nothing). */
  async applyUpdate(
    manager: EntityManager,
    id: string,
    claims: number,
    update: DeliveryUpdate,
    serialNo: string,
    now: Date,
  ): Promise<boolean> {
    const owned = await this.applyUpdates(manager, [{ id, claims, update, serialNo, now }]);
    return owned.has(id);
  }

  /**
   * Records several outcomes in one statement; each row only if its claim still owns it. Returns the ids
   * written. Callers pass the rows sorted by id, so concurrent batches lock rows in the same order.
   */
  async applyUpdates(manager: EntityManager, outcomes: OwnedUpdate[]): Promise<Set<string>> {
    if (outcomes.length === 0) return new Set();
    const u = outcomes.map((o) => o.update);
    const rows = await returningRows<{ id: string }>(
      manager,
      `UPDATE deliveries d SET status = u.status, due_at = u.due_at, attempts = u.attempts, polls = u.polls,
              needs_lookup = u.needs_lookup, pending_since = u.pending_since, generation = u.generation,
              waiting_for = u.waiting_for, relay_via = u.relay_via,
              target_record_id = COALESCE(u.target_record_id, d.target_record_id), last_error_code = u.error_code,
              last_error_message = u.error_message, completed_at = u.completed_at, serial_no = u.serial_no,
              updated_at = u.now
         FROM unnest($1::bigint[], $2::int[], $3::text[], $4::timestamptz[], $5::int[], $6::int[], $7::boolean[],
                     $8::timestamptz[], $9::int[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
                     $15::timestamptz[], $16::text[], $17::timestamptz[])
              AS u(id, claims, status, due_at, attempts, polls, needs_lookup, pending_since, generation, waiting_for,
                   relay_via, target_record_id, error_code, error_message, completed_at, serial_no, now)
        WHERE d.id = u.id AND d.claims = u.claims AND d.status = 'sending'
        RETURNING d.id`,
      [
        outcomes.map((o) => o.id),
        outcomes.map((o) => o.claims),
        u.map((x) => x.status),
        u.map((x) => x.dueAt),
        u.map((x) => x.attempts),
        u.map((x) => x.polls),
        u.map((x) => x.needsLookup),
        u.map((x) => x.pendingSince),
        u.map((x) => x.generation),
        u.map((x) => x.waitingFor),
        u.map((x) => x.relayVia),
        u.map((x) => x.targetRecordId),
        u.map((x) => x.errorCode),
        u.map((x) => x.errorMessage?.slice(0, 1000) ?? null),
        u.map((x) => x.completedAt),
        outcomes.map((o) => o.serialNo),
        outcomes.map((o) => o.now),
      ],
    );
    return new Set(rows.map((r) => String(r.id)));
  }

  /** Makes deliveries that waited for `invoiceKey` to reach `target` due now (a red or void after its issue). */
  async releaseDependents(
    manager: EntityManager,
    invoiceKey: string,
    target: TargetName,
    now: Date,
  ): Promise<number> {
    return this.releaseDependentsOf(manager, [{ invoiceKey, target }], now);
  }

  /** The same for several delivered predecessors, in one statement. */
  async releaseDependentsOf(
    manager: EntityManager,
    delivered: { invoiceKey: string; target: TargetName }[],
    now: Date,
  ): Promise<number> {
    if (delivered.length === 0) return 0;
    const rows = await returningRows<{ id: string }>(
      manager,
      `UPDATE deliveries d SET waiting_for = NULL, due_at = $3, updated_at = $3
         FROM (SELECT DISTINCT k, t FROM unnest($1::text[], $2::text[]) AS x(k, t)) p
        WHERE d.waiting_for = 'predecessor' AND d.depends_on_key = p.k AND d.target = p.t AND d.status = 'pending'
        RETURNING d.id`,
      [delivered.map((r) => r.invoiceKey), delivered.map((r) => r.target), now],
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

  /** Backlog of each of `targets` for the metrics: open, due now, waiting, and the age of the oldest due one. */
  async backlog(now: Date, targets: readonly TargetName[]): Promise<BacklogStats[]> {
    const rows = await queryRows<{
      target: TargetName;
      open: number;
      due: number;
      waiting: number;
      oldest: number | null;
    }>(
      this.dataSource.manager,
      `SELECT t.target, count(d.id)::int AS open,
              count(d.id) FILTER (WHERE d.due_at <= $1)::int AS due,
              count(d.id) FILTER (WHERE d.waiting_for IS NOT NULL)::int AS waiting,
              EXTRACT(EPOCH FROM ($1 - min(d.due_at) FILTER (WHERE d.due_at <= $1)))::float8 AS oldest
         FROM unnest($2::text[]) AS t(target)
         LEFT JOIN deliveries d ON d.target = t.target AND d.status IN ('pending', 'sending')
        GROUP BY t.target`,
      [now, targets],
    );
    return rows.map((r) => ({
      target: r.target,
      open: r.open,
      due: r.due,
      waiting: r.waiting,
      oldestDueAgeSeconds: r.oldest ?? 0,
    }));
  }

  /** Opens a finished delivery again under a new generation and serial, looked up first at its target. */
  async reopen(manager: EntityManager, id: string, reopening: Reopening, now: Date): Promise<void> {
    await manager.query(
      `UPDATE deliveries SET status = 'pending', generation = $2, serial_no = $3, attempts = 0, polls = 0, needs_lookup = true,
              pending_since = NULL, relay_via = NULL, completed_at = NULL, last_error_code = NULL, last_error_message = NULL,
              waiting_for = $4, due_at = $5, reopened_by = $6, reopen_attempt = $7, updated_at = $8
        WHERE id = $1`,
      [
        id,
        reopening.generation,
        reopening.serialNo,
        reopening.waitingFor,
        reopening.dueAt,
        reopening.reopenedBy,
        reopening.reopenAttempt,
        now,
      ],
    );
  }

  async findByInvoice(
    manager: EntityManager,
    invoiceKey: string,
    kind: InvoiceEventKind,
    target: TargetName,
  ): Promise<DeliveryRow | undefined> {
    const rows = await queryRows<DeliveryRow>(
      manager,
      'SELECT * FROM deliveries WHERE invoice_key = $1 AND event_kind = $2 AND target = $3 FOR UPDATE',
      [invoiceKey, kind, target],
    );
    return rows[0];
  }

  /** With the invoice's branch (the ledger's), which the admin API shows and scopes by. */
  async listForInvoices(invoiceKeys: string[]): Promise<DeliveryRow[]> {
    return queryRows<DeliveryRow>(
      this.dataSource.manager,
      `SELECT d.*, i.branch_id FROM deliveries d LEFT JOIN invoices i ON i.invoice_key = d.invoice_key
        WHERE d.invoice_key = ANY($1) ORDER BY d.id`,
      [invoiceKeys],
    );
  }

  /**
   * A page of deliveries within a branch scope (`branches` null: every branch). The branch is the invoice's, read
   * from the ledger by its primary key; a delivery whose invoice has no ledger row is seen only by all-branch callers.
   */
  async list(filter: {
    branches: string[] | null;
    status?: DeliveryStatus;
    target?: TargetName;
    taxNo?: string;
    branchId?: string;
    afterId?: string;
    limit: number;
  }): Promise<DeliveryRow[]> {
    return queryRows<DeliveryRow>(
      this.dataSource.manager,
      `SELECT d.*, i.branch_id FROM deliveries d LEFT JOIN invoices i ON i.invoice_key = d.invoice_key
        WHERE ($1::text IS NULL OR d.status = $1) AND ($2::text IS NULL OR d.target = $2)
          AND ($3::bigint IS NULL OR d.id > $3)
          AND ($5::text[] IS NULL OR i.branch_id = ANY($5::text[]))
          AND ($6::text IS NULL OR d.tax_no = $6) AND ($7::text IS NULL OR i.branch_id = $7)
        ORDER BY d.id LIMIT $4`,
      [
        filter.status ?? null,
        filter.target ?? null,
        filter.afterId ?? null,
        filter.limit,
        filter.branches,
        filter.taxNo ?? null,
        filter.branchId ?? null,
      ],
    );
  }
}
