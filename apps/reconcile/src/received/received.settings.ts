import { FailoverInvoiceVerifier } from '@lib/providers';

export const RECEIVED_SETTINGS = Symbol('RECEIVED_SETTINGS');
export const RECEIVED_VERIFIER = Symbol('RECEIVED_VERIFIER');

/** How received invoices are checked (reconcile.config.ts, RECONCILE_RECEIVED_*). */
export interface ReceivedSettings {
  /** 查验 of one invoice per channel and Shanghai day (the services allow 5). */
  dailyQuota: number;
  /** Whether this process runs the scheduled re-check. */
  recheckEnabled: boolean;
  /** Pause between two re-check rounds, and invoices claimed per round. */
  recheckPollMs: number;
  recheckBatch: number;
  /** A checked invoice of the open periods is checked again after this long (a supplier may void it later). */
  recheckAfterMs: number;
  /** When no channel answered: try again after this long. */
  retryAfterMs: number;
  /** A claim outlives the calls of one invoice (each channel's deadline) with room to record them. */
  claimMs: number;
  /** The authority shows an invoice from the day after it was issued (T+1): "no such invoice" before then is no finding. */
  visibilityLagMs: number;
}

export type ReceivedVerifier = FailoverInvoiceVerifier;
