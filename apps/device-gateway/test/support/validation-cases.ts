import { withUsccCheckDigit } from '@lib/domain';
import { OTHER_SELLER } from './gateway-harness';
import { item, Json, line, nextDigitalNumber, redItem, voidItem } from './invoice-fixtures';

const future = () => new Date(Date.now() + 86_400_000).toISOString();
const monthsAgo = (n: number) => new Date(Date.now() - n * 31 * 86_400_000).toISOString();

/** One invoice item per validation code that an item of POST /v1/invoices can be answered with. */
export const INVOICE_VALIDATION_CASES: Record<string, () => Json> = {
  // shape (contracts)
  REQUIRED: () => item({ sellerName: undefined }),
  INVALID_TYPE: () => item({ amount: 3539.82 }),
  INVALID_FORMAT: () => item({}, { eventId: 'not-a-uuid' }),
  INVALID_ENUM: () => item({}, { kind: 'cancelled' }),
  TOO_LONG: () => item({ sellerName: '名'.repeat(201) }),
  TOO_SHORT: () => item({ buyerName: '' }),
  TOO_MANY_ITEMS: () => item({ lines: Array.from({ length: 2001 }, () => line()) }),
  TOO_FEW_ITEMS: () => item({ lines: [] }),
  MONEY_FORMAT: () => item({ amount: '3.5e3' }),
  MONEY_TOO_PRECISE: () => item({ amount: '3539.825' }),
  MONEY_OUT_OF_RANGE: () => item({ amount: '12345678901234567.00' }),
  // identity (domain)
  INVOICE_CODE_REQUIRED: () => item({ code: null }),
  INVOICE_CODE_NOT_ALLOWED: () =>
    item({ type: 'DIGITAL_GENERAL', number: nextDigitalNumber(), checkCode: null }),
  INVOICE_CODE_FORMAT: () => item({ code: '12345' }),
  INVOICE_CODE_STRUCTURE: () => item({ code: '144031900111' }),
  INVOICE_CODE_TYPE_MISMATCH: () => item({ code: '4403191320' }),
  INVOICE_NUMBER_FORMAT: () => item({ number: '1234' }),
  TAX_NO_FORMAT: () => item({ sellerTaxNo: 'NOT-A-TAX-ID' }),
  TAX_NO_CHECK_DIGIT: () => item({ buyerTaxNo: `${withUsccCheckDigit('91310115MA1K4B9X3').slice(0, 17)}0` }),
  TAX_NO_LEGACY: () => item({ buyerTaxNo: '440300123456789' }),
  BUYER_TAX_NO_UNRECOGNISED: () => item({ buyerTaxNo: 'ABC' }),
  SELLER_MISMATCH: () => item({ sellerTaxNo: OTHER_SELLER }),
  BUYER_TAX_NO_REQUIRED: () => item({ type: 'E_VAT_SPECIAL', code: '044031900211', buyerTaxNo: null }),
  CHECK_CODE_MISSING: () => item({ checkCode: null }),
  CHECK_CODE_FORMAT: () => item({ checkCode: '1234' }),
  ISSUED_AT_IN_FUTURE: () => item({ issuedAt: future() }),
  // amounts (domain)
  DECIMAL_FORMAT: () => item({ lines: [line({ quantity: 'two' })] }),
  LINE_TAX_CODE_FORMAT: () => item({ lines: [line({ taxCode: '123' })] }),
  LINE_TAX_RATE_INVALID: () => item({ lines: [line({ taxRate: '0.14' })] }),
  LINE_TAX_RATE_OUTDATED: () =>
    item({
      amount: '100.00',
      taxAmount: '16.00',
      totalAmount: '116.00',
      lines: [
        line({ quantity: '1', unitPrice: '100', amount: '100.00', taxRate: '0.16', taxAmount: '16.00' }),
      ],
    }),
  LINE_TAX_MISMATCH: () =>
    item({ taxAmount: '461.18', totalAmount: '4001.00', lines: [line({ taxAmount: '461.18' })] }),
  LINE_PRICE_MISMATCH: () => item({ lines: [line({ quantity: '3' })] }),
  AMOUNT_SUM_MISMATCH: () => item({ amount: '3540.82', totalAmount: '4001.00' }),
  TAX_SUM_MISMATCH: () => item({ taxAmount: '461.18', totalAmount: '4001.00' }),
  TOTAL_SUM_MISMATCH: () => item({ amount: '3540.82', totalAmount: '4001.00' }),
  TOTAL_MISMATCH: () => item({ totalAmount: '4000.01' }),
  // lifecycle (domain)
  ISSUED_NEGATIVE_TOTAL: () =>
    item({
      amount: '-3539.82',
      taxAmount: '-460.18',
      totalAmount: '-4000.00',
      lines: [line({ quantity: '-2', amount: '-3539.82', taxAmount: '-460.18' })],
    }),
  DISCOUNT_LINE_ORPHAN: () =>
    item({
      amount: '3439.82',
      taxAmount: '447.18',
      totalAmount: '3887.00',
      lines: [line({ quantity: null, unitPrice: null, amount: '-100.00', taxAmount: '-13.00' }), line()],
    }),
  DISCOUNT_EXCEEDS_LINE: () =>
    item({
      amount: '-460.18',
      taxAmount: '-59.82',
      totalAmount: '-520.00',
      lines: [line(), line({ quantity: null, unitPrice: null, amount: '-4000.00', taxAmount: '-520.00' })],
    }),
  DISCOUNT_RATE_MISMATCH: () =>
    item({
      amount: '3439.82',
      taxAmount: '454.18',
      totalAmount: '3894.00',
      lines: [
        line(),
        line({ quantity: null, unitPrice: null, amount: '-100.00', taxRate: '0.06', taxAmount: '-6.00' }),
      ],
    }),
  RED_FIELDS_UNEXPECTED: () => item({ redReason: '01' }),
  RED_NOT_NEGATIVE: () =>
    redItem({ amount: '3539.82', taxAmount: '460.18', totalAmount: '4000.00', lines: [line()] }),
  RED_ORIGINAL_REQUIRED: () => redItem({ original: null }),
  RED_ORIGINAL_FORMAT: () => redItem({ original: { code: null, number: '1234' } }),
  RED_ORIGINAL_SELF: () => {
    const number = nextDigitalNumber();
    return redItem({ number, original: { code: null, number } });
  },
  RED_REASON_REQUIRED: () => redItem({ redReason: null }),
  RED_REASON_INVALID: () => redItem({ redReason: '09' }),
  VOID_NOT_PAPER: () => voidItem({ type: 'E_VAT_GENERAL', code: '044031900111' }),
  VOID_OUTSIDE_ISSUE_MONTH: () => voidItem({ issuedAt: monthsAgo(2) }),
};
