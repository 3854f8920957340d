import { tryParseInstant } from '@lib/domain';
import { NUONUO_LINE_BY_TYPE, NuonuoOrder } from '@lib/protocols';
import { DeliveryRequest } from '../ports/invoice-target.port';

export type OrderMapping = { ok: true; order: NuonuoOrder } | { ok: false; code: string; message: string };

/** Authority red reasons Nuonuo can carry (its own numbering: 1 销货退回, 2 开票有误). 03 服务中止 and 04 销售折让 have no equivalent. */
const NUONUO_RED_REASON: Readonly<Record<string, '1' | '2'>> = { '01': '2', '02': '1' };

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/**
 * Our invoice as a Nuonuo order (orderNo = our serial). Nuonuo has no void method and only two red
 * reasons: those deliveries are refused here with a code, never sent as something else.
 */
export function toNuonuoOrder(request: DeliveryRequest): OrderMapping {
  const { invoice, kind } = request;
  if (kind === 'voided') {
    return { ok: false, code: 'NUONUO_VOID_UNSUPPORTED', message: 'Nuonuo has no void (作废) for uploaded invoices; void at the authority' };
  }
  const issuedAt = tryParseInstant(invoice.issuedAt);
  if (!issuedAt) return { ok: false, code: 'NUONUO_BAD_ISSUE_DATE', message: `issuedAt "${invoice.issuedAt}" is not ISO-8601` };
  let redReason: '1' | '2' | undefined;
  if (kind === 'red-issued' && invoice.redReason) {
    redReason = NUONUO_RED_REASON[invoice.redReason];
    if (!redReason) {
      return {
        ok: false,
        code: 'NUONUO_RED_REASON_UNSUPPORTED',
        message: `red reason ${invoice.redReason} has no Nuonuo equivalent (only 01 开票有误 and 02 销货退回)`,
      };
    }
  }
  const order: NuonuoOrder = {
    orderNo: request.serialNo,
    invoiceDate: new Date(issuedAt.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' '),
    invoiceLine: NUONUO_LINE_BY_TYPE[invoice.type],
    invoiceType: kind === 'red-issued' ? '2' : '1',
    ...(invoice.code ? { invoiceCode: invoice.code } : {}),
    invoiceNum: invoice.number,
    ...(invoice.checkCode ? { checkCode: invoice.checkCode } : {}),
    salerTaxNum: invoice.sellerTaxNo,
    salerName: invoice.sellerName,
    buyerName: invoice.buyerName,
    ...(invoice.buyerTaxNo ? { buyerTaxNum: invoice.buyerTaxNo } : {}),
    ...(kind === 'red-issued' && invoice.original
      ? { ...(invoice.original.code ? { originalInvoiceCode: invoice.original.code } : {}), originalInvoiceNum: invoice.original.number }
      : {}),
    ...(redReason ? { redReason } : {}),
    invoiceDetail: invoice.lines.map((line) => ({
      goodsName: line.name,
      goodsCode: line.taxCode,
      ...(line.quantity !== null ? { num: line.quantity } : {}),
      ...(line.unitPrice !== null ? { price: line.unitPrice } : {}),
      withTax: '0' as const,
      taxRate: line.taxRate,
      taxExcludedAmount: line.amount,
      tax: line.taxAmount,
    })),
  };
  return { ok: true, order };
}
