import { AuthorityListRecord } from './authority-list.port';

/** One ledger invoice of the scope, as a per-invoice channel needs it. */
export interface InvoiceToCheck {
  invoiceKey: string;
  type: string;
  code: string | null;
  number: string;
  /** ISO-8601. */
  issuedAt: string;
  amount: string;
  taxAmount: string;
  totalAmount: string;
  /** Targets (and relays) that accepted this invoice, e.g. `baiwang`: a platform's upload query only knows its own uploads. */
  acceptedBy: string[];
}

/**
 * What one channel learnt about one invoice:
 * - `found`: the authority's record, content and status (staged like a listed record);
 * - `visible`: the authority has it, with this status, but the content was not read (a platform's upload query);
 * - `absent`: the authority has no (visible) record of it (查验 02, upload query NOT_FOUND);
 * - `pending`: accepted and not yet visible (upload query PENDING);
 * - `differs`: the authority has it but type, date or amount differ from ours (查验 03, without the authority's numbers);
 * - `quota`: this invoice's daily 查验 quota on this channel is used up (05);
 * - `skipped`: this channel cannot answer for this invoice (not uploaded through it, no check code, 01/04).
 */
export type InvoiceCheck =
  | { outcome: 'found'; record: AuthorityListRecord }
  | { outcome: 'visible'; status: AuthorityListRecord['status'] | null; detail: string }
  | { outcome: 'absent' | 'pending' | 'differs' | 'quota' | 'skipped'; detail: string };

/**
 * A per-invoice alternate channel, used when no listing channel answered. One class per way of asking;
 * the order of INVOICE_CHECK_CHANNELS is the order of preference (cheapest first: an upload query spends no
 * 查验 quota). Failures are thrown as AppErrors like the listing channels' (unavailable: skip this channel
 * for the rest of the pull; otherwise retried).
 */
export interface InvoiceCheckChannel {
  readonly name: string;
  check(taxNo: string, invoice: InvoiceToCheck): Promise<InvoiceCheck>;
}

export const INVOICE_CHECK_CHANNELS = Symbol('INVOICE_CHECK_CHANNELS');
