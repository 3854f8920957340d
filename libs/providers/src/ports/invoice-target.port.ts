import { Invoice, InvoiceEventKind } from '@lib/domain';
import { DeviceOperationsPort } from './device-operations.port';

/** A system an invoice is delivered to: a name in the target registry (registry/), whose authority is always one. */
export type TargetName = string;

/** One delivery of one invoice event to one target. */
export interface DeliveryRequest {
  invoiceKey: string;
  kind: InvoiceEventKind;
  invoice: Invoice;
  /**
   * Our request serial at the target (Baiwang serialNo / Nuonuo orderNo / authority request id): the
   * same for every attempt of this delivery, so the target recognises a resend and a lookup finds it.
   */
  serialNo: string;
  /**
   * When this serial was first sent to the target, as the caller recorded it (sync keeps it in its
   * attempts). Survives restarts, unlike an adapter's own memory: a platform that does not find an order
   * for a while after taking it (Nuonuo E9500) is then still treated as pending. Absent: never sent, or
   * unknown to the caller (the adapter falls back to what this process remembers).
   */
  firstSentAt?: Date;
  /**
   * 机器编号 of the tax device that issued the invoice (the registry's `deviceNo` of the event's device), when the
   * caller knows it. Sent as the invoice's `machineNo`: the platform totals a hosted device's 抄报 by it, so a device
   * whose invoices go without it reports nothing for them.
   */
  deviceNo?: string | null;
}

export type UploadResult =
  /** The target has it (now, or it answered "already have it"). */
  | { status: 'accepted'; targetRecordId?: string; detail?: string }
  /** The target took it and finishes asynchronously (Nuonuo issuing 20/21): look it up later. */
  | { status: 'pending'; targetRecordId?: string; detail?: string }
  /** The target understood and refused; resending the same content cannot succeed. */
  | { status: 'rejected'; code: string; message: string };

export type LookupResult =
  | { status: 'found'; state: 'accepted' | 'pending'; targetRecordId?: string }
  /** Found, but the target's processing failed for good (Nuonuo 22/24): a new upload is needed. */
  | { status: 'found'; state: 'failed'; code: string; message: string }
  | { status: 'absent' };

/**
 * One class per target (adding a vendor adds a file, not an `if`). Failures that are not a
 * business answer are thrown as `ExternalCallError` (libs/resilience) with kind:
 * - `not_sent`: safe to resend (refused, breaker open, rate limited);
 * - `unknown`: may have been applied; the caller looks the delivery up before resending;
 * - `rejected`: permanent.
 * `retryAfterMs` on the error tells the caller when to try again (429, E9613 until tomorrow...).
 */
export interface InvoiceTargetAdapter {
  readonly target: TargetName;
  /** False while the target's circuit breaker is open (callers may fail over). */
  readonly available: boolean;
  upload(request: DeliveryRequest): Promise<UploadResult>;
  /** Looks the delivery up by serial (or invoice key where the target has no serials). */
  lookup(request: DeliveryRequest): Promise<LookupResult>;
  /**
   * One-key 抄报 / 清卡 of devices hosted on this platform, through the same connection (breaker, token) as its
   * deliveries; absent when the target hosts no devices.
   */
  readonly deviceOperations?: DeviceOperationsPort;
}
