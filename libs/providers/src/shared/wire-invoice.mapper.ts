import { Invoice, isRedReason } from '@lib/domain';
import { wireInvoiceKey, WireInvoice } from '@lib/protocols';

/**
 * Our invoice as the platforms' wire shape (the same fields; money stays a decimal string). `machineNo`, the issuing
 * device's number, is only sent when known (an invoice without it is the same bytes as before it existed).
 */
export function toWireInvoice(invoice: Invoice, machineNo?: string | null): WireInvoice {
  return {
    type: invoice.type,
    code: invoice.code,
    number: invoice.number,
    issuedAt: invoice.issuedAt,
    sellerTaxNo: invoice.sellerTaxNo,
    sellerName: invoice.sellerName,
    buyerTaxNo: invoice.buyerTaxNo,
    buyerName: invoice.buyerName,
    amount: invoice.amount,
    taxAmount: invoice.taxAmount,
    totalAmount: invoice.totalAmount,
    checkCode: invoice.checkCode,
    lines: invoice.lines.map((line) => ({ ...line })),
    original: invoice.original ? { code: invoice.original.code, number: invoice.original.number } : null,
    redReason: isRedReason(invoice.redReason) ? invoice.redReason : null,
    ...(machineNo ? { machineNo } : {}),
  };
}

/** The key the external systems file an invoice under: code + number, no separator (ours has a hyphen). */
export function platformKeyOf(invoice: Pick<Invoice, 'code' | 'number'>): string {
  return wireInvoiceKey(invoice);
}
