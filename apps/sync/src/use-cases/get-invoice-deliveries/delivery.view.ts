import { AttemptRow } from '../../delivery/attempt.repository';
import { DeliveryRow } from '../../delivery/delivery.repository';

/** A delivery as the admin API shows it. */
export interface DeliveryView {
  id: string;
  invoiceKey: string;
  taxNo: string;
  /** The invoice's branch; null when sync has no ledger row for it. */
  branchId: string | null;
  kind: string;
  target: string;
  status: string;
  waitingFor: string | null;
  serialNo: string;
  generation: number;
  attempts: number;
  dueAt: string | null;
  needsLookup: boolean;
  relayVia: string | null;
  targetRecordId: string | null;
  lastError: { code: string; message: string | null } | null;
  reopenedBy: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  history: {
    attempt: number;
    action: string;
    serialNo: string;
    outcome: string;
    errorCode: string | null;
    errorMessage: string | null;
    targetRecordId: string | null;
    retryAfterMs: number | null;
    at: string;
    latencyMs: number;
  }[];
}

export function toDeliveryView(row: DeliveryRow, attempts: AttemptRow[]): DeliveryView {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: String(row.id),
    invoiceKey: row.invoice_key,
    taxNo: row.tax_no,
    branchId: row.branch_id ?? null,
    kind: row.event_kind,
    target: row.target,
    status: row.status,
    waitingFor: row.waiting_for,
    serialNo: row.serial_no,
    generation: row.generation,
    attempts: row.attempts,
    dueAt: iso(row.due_at),
    needsLookup: row.needs_lookup,
    relayVia: row.relay_via,
    targetRecordId: row.target_record_id,
    lastError: row.last_error_code ? { code: row.last_error_code, message: row.last_error_message } : null,
    reopenedBy: row.reopened_by,
    createdAt: iso(row.created_at) as string,
    updatedAt: iso(row.updated_at) as string,
    completedAt: iso(row.completed_at),
    history: attempts.map((a) => ({
      attempt: a.attempt_no,
      action: a.action,
      serialNo: a.serial_no,
      outcome: a.outcome,
      errorCode: a.error_code,
      errorMessage: a.error_message,
      targetRecordId: a.target_record_id,
      retryAfterMs: a.retry_after_ms,
      at: new Date(a.started_at).toISOString(),
      latencyMs: a.latency_ms,
    })),
  };
}
