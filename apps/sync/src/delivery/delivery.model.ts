import { Invoice, InvoiceEventKind } from '@lib/domain';
import { TargetName } from '@lib/providers';
import { PlatformName, Routing } from '../routing/routing.model';

export const DELIVERY_STATUSES = ['pending', 'sending', 'accepted', 'rejected', 'dead', 'relayed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const TERMINAL_STATUSES: readonly DeliveryStatus[] = ['accepted', 'rejected', 'dead', 'relayed'];
/** The states in which an invoice counts as delivered to a target (for the ordering of red and void). */
export const DELIVERED_STATUSES: readonly DeliveryStatus[] = ['accepted', 'relayed'];

export type WaitingFor = 'predecessor' | 'relay';

/** A delivery a worker has claimed (status `sending`), with what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  invoiceKey: string;
  kind: InvoiceEventKind;
  target: TargetName;
  taxNo: string;
  serialNo: string;
  generation: number;
  attempts: number;
  polls: number;
  /** The claim number: only this claim may record the outcome. */
  claims: number;
  needsLookup: boolean;
  pendingSince: Date | null;
  createdAt: Date;
  invoice: Invoice;
  routing: Routing;
  /**
   * When the current serial was first sent (its first upload that may have reached the target, or the
   * claim of a worker that died mid-call when none was recorded); null/absent when it never was. Passed to
   * the adapter (`DeliveryRequest.firstSentAt`) so a restart does not forget a recent submit.
   */
  firstSentAt?: Date | null;
  /** 机器编号 of the device that issued the invoice, as the registry announces it; sent where the target takes it. */
  deviceNo?: string | null;
}

/** One call made to a target while processing a delivery (kept in delivery_attempts). */
export interface CallRecord {
  action: 'upload' | 'lookup' | 'relay';
  serialNo: string;
  outcome: string;
  errorCode?: string;
  errorMessage?: string;
  targetRecordId?: string;
  retryAfterMs?: number;
  startedAt: Date;
  latencyMs: number;
}

/** What processing a claimed delivery came to. */
export type AttemptResult =
  | { kind: 'accepted'; targetRecordId?: string }
  | { kind: 'pending'; targetRecordId?: string }
  | { kind: 'rejected'; code: string; message: string }
  /** Failed in a way worth retrying; `unknown` means the target may have applied it. */
  | { kind: 'failed'; failure: 'not_sent' | 'unknown'; code: string; message: string; retryAfterMs?: number }
  /** Not attempted (breaker open): tried again soon, not counted as an attempt. */
  | { kind: 'deferred'; code: string; retryAfterMs?: number }
  /** The target finished processing it as failed (Nuonuo 22/24): upload again under a new serial. */
  | { kind: 'reissue'; code: string; message: string }
  /** The authority is unreachable: the delivery goes through this platform instead. */
  | { kind: 'relay'; via: PlatformName };

/** The new state of a delivery after an attempt, as the repository writes it. */
export interface DeliveryUpdate {
  status: DeliveryStatus;
  dueAt: Date | null;
  attempts: number;
  polls: number;
  needsLookup: boolean;
  pendingSince: Date | null;
  generation: number;
  waitingFor: WaitingFor | null;
  relayVia: PlatformName | null;
  targetRecordId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  completedAt: Date | null;
}
