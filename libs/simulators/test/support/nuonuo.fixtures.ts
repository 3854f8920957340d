import { NUONUO_LINE_BY_TYPE, type NuonuoOrder, type WireInvoice } from '@lib/protocols';
import { makeInvoice } from './invoice.fixtures';

/** A Nuonuo order carrying one of our invoices (issued at a branch device). */
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
    invoiceCode: invoice.code ?? undefined,
    invoiceNum: invoice.number,
    checkCode: invoice.checkCode ?? undefined,
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
