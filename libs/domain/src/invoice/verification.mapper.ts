import { shanghaiDateOf, tryParseInstant } from '../time/shanghai-time.util';
import { Invoice } from './invoice.model';
import { fplxOf, invoiceTypeInfo } from './invoice-type.table';

/** The inputs of the authority's verification (查验) query. */
export interface VerificationQuery {
  fplx: string;
  /** 发票代码; null for 数电. */
  fpdm: string | null;
  fphm: string;
  /** 开票日期 as YYYYMMDD in Asia/Shanghai. */
  kprq: string;
  /**
   * The type-dependent fourth input: amount excl. tax (special), total incl. tax (数电), or for legacy general
   * invoices the last 6 digits of the check code (then equal to `jym`). Null when the invoice lacks it.
   */
  kpje: string | null;
  /** Last 6 digits of the check code, for legacy general invoices only. */
  jym: string | null;
}

export type VerifiableInvoice = Pick<
  Invoice,
  'type' | 'code' | 'number' | 'issuedAt' | 'amount' | 'totalAmount' | 'checkCode'
>;

export function verificationQueryOf(invoice: VerifiableInvoice): VerificationQuery {
  const issuedAt = tryParseInstant(invoice.issuedAt);
  if (!issuedAt) throw new TypeError(`issuedAt "${invoice.issuedAt}" is not an ISO-8601 timestamp`);
  const jym = checkCodeLast6(invoice.checkCode);
  const kind = invoiceTypeInfo(invoice.type).verificationAmount;
  const kpje =
    kind === 'AMOUNT_EXCL_TAX' ? invoice.amount : kind === 'TOTAL_INCL_TAX' ? invoice.totalAmount : jym;
  return {
    fplx: fplxOf(invoice.type),
    fpdm: invoice.code || null,
    fphm: invoice.number,
    kprq: shanghaiDateOf(issuedAt).replace(/-/g, ''),
    kpje,
    jym: kind === 'CHECK_CODE_LAST6' ? jym : null,
  };
}

function checkCodeLast6(checkCode: string | null): string | null {
  if (!checkCode) return null;
  const last6 = checkCode.slice(-6);
  return /^\d{6}$/.test(last6) ? last6 : null;
}
