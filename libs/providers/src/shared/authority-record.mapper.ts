import { tryInvoiceKey } from '@lib/domain';
import { AuthorityInvoiceHeader } from '@lib/protocols';
import { AuthorityRecord } from '../ports/authority-records.port';

type Header = Omit<AuthorityInvoiceHeader, 'invoiceKey' | 'code' | 'buyerTaxNo'> & {
  code?: string | null;
  buyerTaxNo?: string | null;
  /** A whole invoice (a 查验 answer) has its lines; a list row has none. */
  lines?: readonly unknown[] | null;
};

/** The authority's view of an invoice in our terms (our invoice key, with its hyphen for legacy invoices). */
export function toAuthorityRecord(header: Header): AuthorityRecord {
  const code = header.code || null;
  return {
    invoiceKey: tryInvoiceKey({ code, number: header.number }) ?? `${code ?? ''}${header.number}`,
    type: header.type,
    code,
    number: header.number,
    issuedAt: header.issuedAt,
    sellerTaxNo: header.sellerTaxNo,
    sellerName: header.sellerName,
    buyerTaxNo: header.buyerTaxNo ?? null,
    buyerName: header.buyerName,
    amount: header.amount,
    taxAmount: header.taxAmount,
    totalAmount: header.totalAmount,
    status: header.status,
    lineCount: Array.isArray(header.lines) ? header.lines.length : null,
  };
}
