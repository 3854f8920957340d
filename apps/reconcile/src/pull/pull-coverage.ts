import { FindingType } from '@lib/contracts';

/**
 * What a pull can prove. `listed`: the authority's whole list of the period (every channel that lists);
 * `per-invoice`: each ledger invoice asked about one by one (a platform's upload query, 查验). A
 * per-invoice pull never sees an invoice only the authority has, so it can never support MISSING_IN_LEDGER,
 * nor the authority's side of the 抄报 totals; it can say, for the invoices it checked, whether the
 * authority has them and with which content and status.
 */
export type PullCoverage = 'listed' | 'per-invoice';

/** The run's `channel` while (and after) it is pulled per invoice; each observation carries its own channel. */
export const PER_INVOICE_CHANNEL = 'per-invoice';

const SUPPORTED: Readonly<Record<PullCoverage, readonly FindingType[]>> = {
  listed: ['MISSING_IN_AUTHORITY', 'MISSING_IN_LEDGER', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH', 'DUPLICATE_INVOICE', 'REPORT_TOTALS_MISMATCH', 'CONTENT_MISMATCH'],
  'per-invoice': ['MISSING_IN_AUTHORITY', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH', 'CONTENT_MISMATCH'],
};

/** The authority-dependent finding types a finished pull of this coverage can support (for the keys it checked, when per-invoice). */
export function supportedFindingTypes(coverage: PullCoverage | null): readonly FindingType[] {
  return coverage ? SUPPORTED[coverage] : [];
}
