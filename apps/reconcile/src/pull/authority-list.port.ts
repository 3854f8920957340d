import { AppError } from '@lib/common';
import { ReconcileErrorCode } from '../reconcile-error-codes';

/** One invoice as an authority channel lists it (money as decimal strings, status as the authority words it). */
export interface AuthorityListRecord {
  invoiceKey: string;
  type: string;
  code: string | null;
  number: string;
  issuedAt: string;
  amount: string;
  taxAmount: string;
  totalAmount: string;
  status: 'NORMAL' | 'VOIDED' | 'RED_REVERSED';
  /**
   * What CONTENT_MISMATCH compares besides type and date, when the channel carries it: the buyer (the authority's list
   * and 查验 answers do) and the number of lines (only 查验 answers: a list row has no lines). Absent or null: this
   * channel does not say, and the field is not compared.
   */
  buyerTaxNo?: string | null;
  buyerName?: string | null;
  lineCount?: number | null;
}

export interface AuthorityListPage {
  items: AuthorityListRecord[];
  /** Null on the last page. */
  nextPageToken: string | null;
}

export interface AuthorityListQuery {
  taxNo: string;
  period: string;
  pageSize: number;
  pageToken: string | null;
}

/**
 * A way to list a taxpayer's invoices of a period: the authority itself, or an alternate channel
 * (a platform's query). One class per channel; the order of AUTHORITY_CHANNELS is the order of
 * preference. Failures are thrown: an AppError of kind `unavailable` (breaker open, outage) moves to
 * the next channel at once; anything else is retried a few times first. When none answers, the pull
 * falls back to the per-invoice channels (invoice-check.port.ts), which cannot list.
 */
export interface AuthorityListChannel {
  readonly name: string;
  listPage(query: AuthorityListQuery): Promise<AuthorityListPage>;
}

export const AUTHORITY_CHANNELS = Symbol('AUTHORITY_CHANNELS');

/** The channel a deployment has until a reader is configured: always unavailable, so runs end `incomplete` (never a false MISSING). */
export class UnconfiguredAuthorityChannel implements AuthorityListChannel {
  readonly name = 'authority';

  async listPage(): Promise<AuthorityListPage> {
    throw new AppError(ReconcileErrorCode.AUTHORITY_READER_NOT_CONFIGURED, 'unavailable', 'no authority reader is configured for reconcile');
  }
}
