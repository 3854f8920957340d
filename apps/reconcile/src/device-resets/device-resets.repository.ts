import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { returningRows } from '@lib/persistence';
import { Actor, BranchScope, scopeParam } from '@lib/platform';
import { BackupInvoice } from './backup-csv';
import { DeviceResetRow, RecordedStep, ResetMode, ResetState, ResetStepRecord } from './device-reset.model';

const COLUMNS = `id, device_id, device_name, tax_no, branch_id, mode, reason, state, replacement_device_id,
  replacement_requested_at, resync_from, backup_sha256, backup_rows, backup_periods, backup_at, step_in_progress,
  step_started_at, created_by_kind, created_by_subject, created_by_name, created_at, updated_at, ended_at`;

/** A reset as it starts: the row's identity and purpose, who started it and when. */
export type NewReset = Pick<
  DeviceResetRow,
  'id' | 'deviceId' | 'deviceName' | 'taxNo' | 'branchId' | 'mode' | 'reason'
> & {
  actor: Actor;
  at: Date;
};

export interface ResetListQuery {
  deviceId?: string;
  state?: ResetState;
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** What a finished step changes on its reset besides the state. */
export interface ResetChanges {
  state?: ResetState;
  replacementDeviceId?: string;
  replacementRequestedAt?: Date;
  resyncFrom?: Date;
  backup?: { sha256: string; rows: number; periods: string[]; at: Date };
  ended?: Date;
}

/** Device resets, their steps and their backups (reconcile's schema; see CreateDeviceResets1766000001000). */
@Injectable()
export class DeviceResetsRepository {
  /** Inserts the reset; null when the device already has an open one (the partial unique index). */
  async insert(m: EntityManager, reset: NewReset): Promise<DeviceResetRow | null> {
    const rows = await returningRows<RawReset>(
      m,
      `INSERT INTO device_resets (id, device_id, device_name, tax_no, branch_id, mode, reason, state,
         created_by_kind, created_by_subject, created_by_name, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'backup', $8, $9, $10, $11, $11)
       ON CONFLICT (device_id) WHERE state NOT IN ('closed', 'cancelled') DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        reset.id,
        reset.deviceId,
        reset.deviceName,
        reset.taxNo,
        reset.branchId,
        reset.mode,
        reset.reason,
        reset.actor.kind,
        reset.actor.subject.slice(0, 200),
        reset.actor.name.slice(0, 200),
        reset.at,
      ],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  async openResetOf(m: EntityManager, deviceId: string): Promise<string | null> {
    const rows = (await m.query(
      `SELECT id FROM device_resets WHERE device_id = $1 AND state NOT IN ('closed', 'cancelled')`,
      [deviceId],
    )) as { id: string }[];
    return rows[0]?.id ?? null;
  }

  /** The reset, when it is in the scope (another branch's reset is as unknown as a missing one). */
  async find(
    m: EntityManager,
    id: string,
    scope: BranchScope,
    forUpdate = false,
  ): Promise<DeviceResetRow | null> {
    const rows = (await m.query(
      `SELECT ${COLUMNS} FROM device_resets WHERE id = $1 AND ($2::text[] IS NULL OR branch_id = ANY($2::text[]))
       ${forUpdate ? 'FOR UPDATE' : ''}`,
      [id, scopeParam(scope)],
    )) as RawReset[];
    return rows[0] ? toRow(rows[0]) : null;
  }

  async list(m: EntityManager, scope: BranchScope, q: ResetListQuery): Promise<DeviceResetRow[]> {
    const rows = (await m.query(
      `SELECT ${COLUMNS} FROM device_resets
        WHERE ($1::text[] IS NULL OR branch_id = ANY($1::text[]))
          AND ($2::text IS NULL OR device_id = $2 OR replacement_device_id = $2)
          AND ($3::text IS NULL OR state = $3)
          AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $6`,
      [
        scopeParam(scope),
        q.deviceId ?? null,
        q.state ?? null,
        q.after?.createdAt ?? null,
        q.after?.id ?? null,
        q.limit,
      ],
    )) as RawReset[];
    return rows.map(toRow);
  }

  async steps(m: EntityManager, resetId: string): Promise<ResetStepRecord[]> {
    const rows = (await m.query(
      `SELECT step, outcome, detail, actor_kind, actor_subject, actor_name, at FROM device_reset_steps
        WHERE reset_id = $1 ORDER BY id`,
      [resetId],
    )) as {
      step: RecordedStep;
      outcome: 'succeeded' | 'failed';
      detail: Record<string, unknown>;
      actor_kind: Actor['kind'];
      actor_subject: string;
      actor_name: string;
      at: Date;
    }[];
    return rows.map((r) => ({
      step: r.step,
      outcome: r.outcome,
      detail: r.detail,
      actor: { kind: r.actor_kind, subject: r.actor_subject, name: r.actor_name },
      at: new Date(r.at).toISOString(),
    }));
  }

  /**
   * Claims the reset for `step` while it is in `state` and no other request performs a step (or that request's claim is
   * older than `staleBefore`: its process died). Null when it could not be claimed.
   */
  async claim(
    m: EntityManager,
    id: string,
    state: ResetState,
    step: RecordedStep,
    now: Date,
    staleBefore: Date,
  ): Promise<DeviceResetRow | null> {
    const rows = await returningRows<RawReset>(
      m,
      `UPDATE device_resets SET step_in_progress = $3, step_started_at = $4
        WHERE id = $1 AND state = $2 AND (step_in_progress IS NULL OR step_started_at < $5)
        RETURNING ${COLUMNS}`,
      [id, state, step, now, staleBefore],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  async release(m: EntityManager, id: string): Promise<void> {
    await m.query('UPDATE device_resets SET step_in_progress = NULL, step_started_at = NULL WHERE id = $1', [
      id,
    ]);
  }

  /** Records what a step changed, and ends the claim. */
  async update(m: EntityManager, id: string, changes: ResetChanges, at: Date): Promise<DeviceResetRow> {
    const rows = await returningRows<RawReset>(
      m,
      `UPDATE device_resets SET
         state = COALESCE($2, state),
         replacement_device_id = COALESCE($3, replacement_device_id),
         replacement_requested_at = COALESCE($4, replacement_requested_at),
         resync_from = COALESCE($5, resync_from),
         backup_sha256 = COALESCE($6, backup_sha256),
         backup_rows = COALESCE($7, backup_rows),
         backup_periods = COALESCE($8, backup_periods),
         backup_at = COALESCE($9, backup_at),
         ended_at = COALESCE($10, ended_at),
         step_in_progress = NULL, step_started_at = NULL,
         updated_at = $11
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        changes.state ?? null,
        changes.replacementDeviceId ?? null,
        changes.replacementRequestedAt ?? null,
        changes.resyncFrom ?? null,
        changes.backup?.sha256 ?? null,
        changes.backup?.rows ?? null,
        changes.backup?.periods ?? null,
        changes.backup?.at ?? null,
        changes.ended ?? null,
        at,
      ],
    );
    return toRow(rows[0]);
  }

  /** Marks that a replacement may be registered from now on (kept until the reset ends, for a repeat to look it up). */
  async markReplacementRequested(m: EntityManager, id: string, at: Date): Promise<void> {
    await m.query(
      'UPDATE device_resets SET replacement_requested_at = COALESCE(replacement_requested_at, $2) WHERE id = $1',
      [id, at],
    );
  }

  /** Whether another reset already took this device as its replacement. */
  async replacementTaken(m: EntityManager, deviceId: string, exceptResetId: string): Promise<boolean> {
    const rows = (await m.query(
      'SELECT 1 FROM device_resets WHERE replacement_device_id = $1 AND id <> $2 LIMIT 1',
      [deviceId, exceptResetId],
    )) as unknown[];
    return rows.length > 0;
  }

  async recordStep(
    m: EntityManager,
    resetId: string,
    step: RecordedStep,
    outcome: 'succeeded' | 'failed',
    detail: Record<string, unknown>,
    actor: Actor,
    at: Date,
  ): Promise<void> {
    await m.query(
      `INSERT INTO device_reset_steps (reset_id, step, outcome, detail, actor_kind, actor_subject, actor_name, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        resetId,
        step,
        outcome,
        JSON.stringify(detail),
        actor.kind,
        actor.subject.slice(0, 200),
        actor.name.slice(0, 200),
        at,
      ],
    );
  }

  /** A page of the device's ledger invoices of `periods`, in key order after `afterKey`. */
  async ledgerPage(
    m: EntityManager,
    deviceId: string,
    taxNo: string,
    periods: string[],
    afterKey: string | null,
    limit: number,
  ): Promise<BackupInvoice[]> {
    const rows = (await m.query(
      `SELECT invoice_key, period, invoice_type, invoice_code, invoice_number, issued_at, colour, state, buyer_tax_no,
              buyer_name, amount::text AS amount, tax_amount::text AS tax_amount, total_amount::text AS total_amount,
              red_reversed_amount::text AS red_reversed_amount, original_key, source, device_id, received_at
         FROM ledger_invoices
        WHERE device_id = $1 AND tax_no = $2 AND period = ANY($3::text[]) AND ($4::text IS NULL OR invoice_key > $4)
        ORDER BY invoice_key LIMIT $5`,
      [deviceId, taxNo, periods, afterKey, limit],
    )) as Record<string, unknown>[];
    return rows.map((r) => ({
      invoiceKey: String(r.invoice_key),
      period: String(r.period),
      type: String(r.invoice_type),
      code: (r.invoice_code as string | null) ?? null,
      number: String(r.invoice_number),
      issuedAt: new Date(r.issued_at as string),
      colour: String(r.colour),
      status: String(r.state),
      buyerTaxNo: (r.buyer_tax_no as string | null) ?? null,
      buyerName: (r.buyer_name as string | null) ?? null,
      amount: String(r.amount),
      taxAmount: String(r.tax_amount),
      totalAmount: String(r.total_amount),
      redReversedAmount: String(r.red_reversed_amount),
      originalKey: (r.original_key as string | null) ?? null,
      source: String(r.source),
      deviceId: (r.device_id as string | null) ?? null,
      receivedAt: r.received_at ? new Date(r.received_at as string) : null,
    }));
  }

  async clearBackup(m: EntityManager, resetId: string): Promise<void> {
    await m.query('DELETE FROM device_reset_backup_invoices WHERE reset_id = $1', [resetId]);
  }

  async saveBackupLines(
    m: EntityManager,
    resetId: string,
    firstLineNo: number,
    lines: { invoiceKey: string; csvLine: string }[],
  ): Promise<void> {
    if (lines.length === 0) return;
    await m.query(
      `INSERT INTO device_reset_backup_invoices (reset_id, line_no, invoice_key, csv_line)
       SELECT $1, $2 + t.n - 1, t.invoice_key, t.csv_line
         FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS t(invoice_key, csv_line, n)`,
      [resetId, firstLineNo, lines.map((l) => l.invoiceKey), lines.map((l) => l.csvLine)],
    );
  }

  /** The stored backup's lines after `afterLineNo`, in order. */
  async backupLines(
    m: EntityManager,
    resetId: string,
    afterLineNo: number,
    limit: number,
  ): Promise<{ lineNo: number; csvLine: string }[]> {
    const rows = (await m.query(
      `SELECT line_no, csv_line FROM device_reset_backup_invoices WHERE reset_id = $1 AND line_no > $2
        ORDER BY line_no LIMIT $3`,
      [resetId, afterLineNo, limit],
    )) as { line_no: number; csv_line: string }[];
    return rows.map((r) => ({ lineNo: r.line_no, csvLine: r.csv_line }));
  }
}

interface RawReset {
  id: string;
  device_id: string;
  device_name: string;
  tax_no: string;
  branch_id: string;
  mode: ResetMode;
  reason: string;
  state: ResetState;
  replacement_device_id: string | null;
  replacement_requested_at: Date | null;
  resync_from: Date | null;
  backup_sha256: string | null;
  backup_rows: number | null;
  backup_periods: string[] | null;
  backup_at: Date | null;
  step_in_progress: string | null;
  step_started_at: Date | null;
  created_by_kind: Actor['kind'];
  created_by_subject: string;
  created_by_name: string;
  created_at: Date;
  updated_at: Date;
  ended_at: Date | null;
}

const date = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

function toRow(r: RawReset): DeviceResetRow {
  return {
    id: r.id,
    deviceId: r.device_id,
    deviceName: r.device_name,
    taxNo: r.tax_no,
    branchId: r.branch_id,
    mode: r.mode,
    reason: r.reason,
    state: r.state,
    replacementDeviceId: r.replacement_device_id,
    replacementRequestedAt: date(r.replacement_requested_at),
    resyncFrom: date(r.resync_from),
    backupSha256: r.backup_sha256,
    backupRows: r.backup_rows,
    backupPeriods: r.backup_periods,
    backupAt: date(r.backup_at),
    stepInProgress: r.step_in_progress,
    stepStartedAt: date(r.step_started_at),
    createdBy: { kind: r.created_by_kind, subject: r.created_by_subject, name: r.created_by_name },
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
    endedAt: date(r.ended_at),
  };
}
