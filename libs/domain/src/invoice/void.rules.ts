import { periodOf } from '../time/period.value';
import { InvoiceType, isPaper } from './invoice-type.table';

export type VoidRefusal = 'NOT_PAPER' | 'OUTSIDE_ISSUE_MONTH' | 'NOT_YET_ISSUED';

/**
 * Why an invoice cannot be voided (作废) at `now`, or null when it can: only paper invoices, only within the
 * Asia/Shanghai calendar month in which they were issued. (Whether the buyer already certified it is not known here.)
 */
export function voidRefusal(type: InvoiceType, issuedAt: Date, now: Date): VoidRefusal | null {
  if (!isPaper(type)) return 'NOT_PAPER';
  if (periodOf(issuedAt) !== periodOf(now)) {
    return issuedAt.getTime() > now.getTime() ? 'NOT_YET_ISSUED' : 'OUTSIDE_ISSUE_MONTH';
  }
  return null;
}

export function canVoid(type: InvoiceType, issuedAt: Date, now: Date): boolean {
  return voidRefusal(type, issuedAt, now) === null;
}
