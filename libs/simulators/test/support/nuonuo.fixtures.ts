import { NUONUO_LINE_BY_TYPE, type NuonuoOrder, type WireInvoice } from '@lib/protocols';
import { makeInvoice } from './invoice.fixtures';

/**
 * A Nuonuo order asking Nuonuo to issue a new invoice with the template's seller, buyer and lines (Nuonuo assigns its
 * code and number: the template's are not sent).
 */
export function makeOrder(
  orderNo: string,
  invoice: WireInvoice = makeInvoice('E_VAT_GENERAL'),
  overrides: Partial<NuonuoOrder> = {},
) {
  const shanghai = new Date(Date.parse(invoice.issuedAt) + 8 * 3600_000).toISOString();
  const order: NuonuoOrder = {
    orderNo,
    invoiceDate: `${shanghai.slice(0, 10)} ${shanghai.slice(11, 19)}`,
    invoiceLine: NUONUO_LINE_BY_TYPE[invoice.type],
    invoiceType: '1',
    salerTaxNum: invoice.sellerTaxNo,
    salerName: invoice.sellerName,
    buyerName: invoice.buyerName,
    buyerTaxNum: invoice.buyerTaxNo ?? undefined,
    invoiceDetail: invoice.lines.map((line) => ({
      goodsName: line.name,
      goodsCode: line.taxCode,
      withTax: '0' as const,
      taxRate: line.taxRate,
      taxExcludedAmount: line.amount,
      tax: line.taxAmount,
    })),
    ...overrides,
  };
  return { order, invoice };
}

/** The key of the invoice Nuonuo issued for an order, from its query result (code + number, or the 数电 number). */
export function issuedKey(result: { invoiceCode: string; invoiceNo: string }): string {
  return `${result.invoiceCode}${result.invoiceNo}`;
}
