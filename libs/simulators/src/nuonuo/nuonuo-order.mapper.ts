import {
  AUTHORITY_RED_REASON_BY_NUONUO,
  TYPE_BY_NUONUO_LINE,
  type AuthorityUploadKind,
  type WireInvoice,
  type WireInvoiceType,
} from '@lib/protocols';
import { asRecord } from '../core/http.util';
import { fenToString, toFen } from '../core/money.util';

export const ORDER_NO_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

export type MappedOrder =
  | { ok: true; orderNo: string; kind: AuthorityUploadKind; invoice: WireInvoice; buyerName: string }
  | { ok: false; describe: string };

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The code and number Nuonuo gives the invoice it issues for an order (the caller never chooses them). */
export type AssignNumber = (type: WireInvoiceType) => { code: string | null; number: string };

/**
 * Maps a Nuonuo order (amounts per line, excl. tax) to the **new** invoice Nuonuo issues for it, now, under a code and
 * number it assigns. A blue order naming an invoice code or number is refused (E4000): those fields name the blue
 * invoice a red order reverses, and an invoice already issued elsewhere (by a tax device) cannot be sent this way.
 */
export function mapNuonuoOrder(raw: unknown, userTax: string, assign: AssignNumber, nowMs: number): MappedOrder {
  const order = asRecord(asRecord(raw).order);
  const orderNo = str(order.orderNo) ?? '';
  if (!ORDER_NO_PATTERN.test(orderNo)) return { ok: false, describe: 'orderNo格式错误' };
  const type = TYPE_BY_NUONUO_LINE[str(order.invoiceLine) ?? ''];
  if (!type) return { ok: false, describe: 'invoiceLine不支持' };
  if (order.invoiceType !== '1' && order.invoiceType !== '2')
    return { ok: false, describe: 'invoiceType须为1或2' };
  if (order.salerTaxNum !== userTax) return { ok: false, describe: 'salerTaxNum与userTax不一致' };
  const date = str(order.invoiceDate) ?? '';
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(date))
    return { ok: false, describe: 'invoiceDate格式须为yyyy-MM-dd HH:mm:ss' };
  const red = order.invoiceType === '2';
  const blueCode = str(order.invoiceCode);
  const blueNumber = str(order.invoiceNum);
  if (!red && (blueCode || blueNumber))
    return { ok: false, describe: '蓝票不填invoiceCode/invoiceNum：发票代码号码由开具时分配，仅冲红时填写对应蓝票' };
  if (red && !blueNumber) return { ok: false, describe: '红票须填写对应蓝票的invoiceNum' };
  const details = Array.isArray(order.invoiceDetail) ? order.invoiceDetail.map(asRecord) : [];
  if (details.length === 0) return { ok: false, describe: 'invoiceDetail不能为空' };
  let amount = 0n;
  let tax = 0n;
  for (const detail of details) {
    const lineAmount = toFen(String(detail.taxExcludedAmount ?? ''));
    const lineTax = toFen(String(detail.tax ?? ''));
    if (lineAmount === null || lineTax === null) return { ok: false, describe: 'invoiceDetail金额格式错误' };
    amount += lineAmount;
    tax += lineTax;
  }
  const redReason =
    order.redReason === '1' || order.redReason === '2'
      ? AUTHORITY_RED_REASON_BY_NUONUO[order.redReason]
      : null;
  const assigned = assign(type);
  const invoice: WireInvoice = {
    type,
    code: assigned.code,
    number: assigned.number,
    issuedAt: new Date(nowMs).toISOString(),
    sellerTaxNo: userTax,
    sellerName: str(order.salerName) ?? '',
    buyerTaxNo: str(order.buyerTaxNum) ?? null,
    buyerName: str(order.buyerName) ?? '',
    amount: fenToString(amount),
    taxAmount: fenToString(tax),
    totalAmount: fenToString(amount + tax),
    checkCode: null,
    lines: details.map((detail) => ({
      name: String(detail.goodsName ?? ''),
      taxCode: String(detail.goodsCode ?? ''),
      quantity: str(detail.num) ?? null,
      unitPrice: str(detail.price) ?? null,
      amount: String(detail.taxExcludedAmount),
      taxRate: String(detail.taxRate ?? ''),
      taxAmount: String(detail.tax),
    })),
    original: red
      ? { code: blueCode ?? null, number: blueNumber ?? '' }
      : null,
    redReason,
  };
  return { ok: true, orderNo, kind: red ? 'red-issued' : 'issued', invoice, buyerName: invoice.buyerName };
}
