import { randomUUID } from 'node:crypto';
import { formatMoney, withUsccCheckDigit } from '@lib/domain';

/** Realistic, valid invoice items for demos, tests and benchmarks: valid USCCs, arithmetic exact to the fen. */
export interface SampleInvoiceOptions {
  sellerTaxNo: string;
  /** Keeps invoice keys unique across generators (e.g. a device index): 0..99, each up to 1,000,000 invoices. */
  series: number;
  /** Lines per invoice (default 1-3, varying). */
  lines?: number;
  /** Issue time; default yesterday. */
  issuedAt?: Date;
}

export type SampleInvoiceType =
  'VAT_SPECIAL' | 'VAT_GENERAL' | 'E_VAT_SPECIAL' | 'E_VAT_GENERAL' | 'DIGITAL_SPECIAL' | 'DIGITAL_GENERAL';
type InvoiceType = SampleInvoiceType;

const TYPES: InvoiceType[] = [
  'E_VAT_GENERAL',
  'DIGITAL_GENERAL',
  'DIGITAL_SPECIAL',
  'E_VAT_SPECIAL',
  'VAT_SPECIAL',
  'VAT_GENERAL',
];
/** Invoice codes that follow the documented structure (10 digits for paper, 12 for legacy electronic). */
export const SAMPLE_INVOICE_CODES: Readonly<Record<InvoiceType, string | null>> = {
  VAT_SPECIAL: '4403191130',
  VAT_GENERAL: '4403191320',
  E_VAT_SPECIAL: '044031900211',
  E_VAT_GENERAL: '044031900111',
  DIGITAL_SPECIAL: null,
  DIGITAL_GENERAL: null,
};
/** Goods with their tax classification code and rate (basis points for exact tax in fen). */
export const SAMPLE_GOODS = [
  { name: '*计算机外部设备*激光打印机', taxCode: '1090511030000000000', rateBp: 1300n, rate: '0.13' },
  { name: '*信息技术服务*软件维护服务', taxCode: '3040203000000000000', rateBp: 600n, rate: '0.06' },
  { name: '*谷物*大米', taxCode: '1010101020000000000', rateBp: 900n, rate: '0.09' },
];
export const SAMPLE_BUYER_TAX_NO = withUsccCheckDigit('91310115MA1K4B9X3');

export class SampleInvoices {
  private sequence = 0;

  constructor(private readonly options: SampleInvoiceOptions) {}

  /** The next `issued` item (new eventId, new invoice number). */
  next(): { eventId: string; kind: 'issued'; invoice: Record<string, unknown> } {
    const n = this.sequence++;
    const type = TYPES[n % TYPES.length];
    const lineCount = this.options.lines ?? 1 + (n % 3);
    const lines = Array.from({ length: lineCount }, (_, i) => line(n + i));
    const amount = lines.reduce((sum, l) => sum + l.fen, 0n);
    const tax = lines.reduce((sum, l) => sum + l.taxFen, 0n);
    const digital = SAMPLE_INVOICE_CODES[type] === null;
    const serial = this.options.series * 1_000_000 + (n % 1_000_000);
    return {
      eventId: randomUUID(),
      kind: 'issued',
      invoice: {
        type,
        code: SAMPLE_INVOICE_CODES[type],
        number: digital ? `25442${String(serial).padStart(15, '0')}` : String(serial).padStart(8, '0'),
        issuedAt: (this.options.issuedAt ?? new Date(Date.now() - 86_400_000)).toISOString(),
        sellerTaxNo: this.options.sellerTaxNo,
        sellerName: '深圳市前海示例科技有限公司',
        buyerTaxNo: SAMPLE_BUYER_TAX_NO,
        buyerName: '上海浦东示例贸易有限公司',
        amount: formatMoney(amount),
        taxAmount: formatMoney(tax),
        totalAmount: formatMoney(amount + tax),
        checkCode: digital ? null : '59361212094539172458',
        lines: lines.map((l) => l.wire),
      },
    };
  }

  batch(size: number) {
    return Array.from({ length: size }, () => this.next());
  }
}

function line(seed: number) {
  const goods = SAMPLE_GOODS[seed % SAMPLE_GOODS.length];
  const quantity = BigInt(1 + (seed % 7));
  const unitFen = 1_000n + BigInt((seed * 7919) % 500_000);
  const fen = quantity * unitFen;
  // Tax rounded half up to the fen, in integers: amount × rate(basis points) / 10000.
  const taxFen = (fen * goods.rateBp + 5_000n) / 10_000n;
  return {
    fen,
    taxFen,
    wire: {
      name: goods.name,
      taxCode: goods.taxCode,
      quantity: quantity.toString(),
      unitPrice: formatMoney(unitFen),
      amount: formatMoney(fen),
      taxRate: goods.rate,
      taxAmount: formatMoney(taxFen),
    },
  };
}
