// Valid invoices of every type for the scenario: exact arithmetic in fen, realistic goods and rates, numbers unique
// per device, red invoices that reverse their original in full, voids of paper invoices.
import { randomUUID } from 'node:crypto';
import { SAMPLE_GOODS, SAMPLE_INVOICE_CODES } from '@lib/device-client';
import { formatMoney, parseMoney, withUsccCheckDigit } from '@lib/domain';
import type { Device } from './enterprise';

export const INVOICE_TYPES = [
  'E_VAT_GENERAL',
  'DIGITAL_GENERAL',
  'DIGITAL_SPECIAL',
  'E_VAT_SPECIAL',
  'VAT_SPECIAL',
  'VAT_GENERAL',
] as const;
export type InvoiceType = (typeof INVOICE_TYPES)[number];
export type ItemKind = 'issued' | 'red-issued' | 'voided';

export interface WireLine {
  name: string;
  taxCode: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  taxRate: string;
  taxAmount: string;
}

export interface ScenarioInvoice {
  type: InvoiceType;
  code: string | null;
  number: string;
  issuedAt: string;
  sellerTaxNo: string;
  sellerName: string;
  buyerTaxNo: string | null;
  buyerName: string;
  amount: string;
  taxAmount: string;
  totalAmount: string;
  checkCode: string | null;
  lines: WireLine[];
  original?: { code: string | null; number: string };
  redReason?: string;
}

export interface ScenarioItem {
  eventId: string;
  kind: ItemKind;
  invoice: ScenarioInvoice;
}

const BUYERS = [
  { taxNo: withUsccCheckDigit('91310115MA1K4B9X3'), name: '上海浦东示例贸易有限公司' },
  { taxNo: withUsccCheckDigit('91440101MA59QW3L2'), name: '广州天河远航物流有限公司' },
  { taxNo: withUsccCheckDigit('91330106MA2CFR7T8'), name: '杭州西湖数智科技有限公司' },
];

export const isPaper = (type: InvoiceType) => type === 'VAT_SPECIAL' || type === 'VAT_GENERAL';
const isDigital = (type: InvoiceType) => type === 'DIGITAL_SPECIAL' || type === 'DIGITAL_GENERAL';
const isSpecial = (type: InvoiceType) => type.endsWith('SPECIAL');

/** The domain's invoice key: code + number for legacy types, the number alone for 数电. */
export function invoiceKey(invoice: { code: string | null; number: string }): string {
  return `${invoice.code ?? ''}${invoice.number}`;
}

/** Numbers unique per device: 10,000 per device, 1,000 devices fit the 8-digit legacy range. */
export class InvoiceFactory {
  private sequence = 0;

  constructor(private readonly device: Device) {
    if (device.index >= 1_000) throw new Error('at most 1,000 devices');
  }

  blue(type: InvoiceType, issuedAt: Date, variant: number): ScenarioItem {
    const lines = Array.from({ length: 1 + (variant % 3) }, (_, i) => makeLine(variant * 7 + i));
    return item('issued', this.header(type, issuedAt, variant, lines));
  }

  /** A red invoice reversing `original` in full (reason 01 开票有误 or 02 销货退回, which every platform carries). */
  red(original: ScenarioInvoice, issuedAt: Date, reason: '01' | '02'): ScenarioItem {
    const lines = original.lines.map(negateLine);
    const header = this.header(original.type, issuedAt, 0, lines, original);
    return item('red-issued', {
      ...header,
      original: { code: original.code, number: original.number },
      redReason: reason,
    });
  }

  /** Another content under an existing key: what a device that re-issued a number by mistake sends. */
  static conflicting(original: ScenarioInvoice): ScenarioItem {
    const lines = original.lines.map((l, i) => (i === 0 ? makeLine(997, Number(l.quantity) + 1) : l));
    return item('issued', { ...original, ...totals(lines) });
  }

  /** The same invoice with other amounts, as the authority would hold it if it had been issued elsewhere. */
  static withOtherAmounts(original: ScenarioInvoice): ScenarioInvoice {
    const lines = original.lines.map((l, i) => (i === 0 ? makeLine(991, Number(l.quantity) + 2) : l));
    return { ...original, ...totals(lines) };
  }

  static voidOf(original: ScenarioInvoice): ScenarioItem {
    return item('voided', original);
  }

  private header(
    type: InvoiceType,
    issuedAt: Date,
    variant: number,
    lines: WireLine[],
    buyerFrom?: ScenarioInvoice,
  ): ScenarioInvoice {
    const serial = this.device.index * 10_000 + this.sequence++;
    const taxpayer = this.device.branch.taxpayer;
    const buyer = BUYERS[variant % BUYERS.length];
    const individual = !buyerFrom && !isSpecial(type) && variant % 4 === 0;
    return {
      type,
      code: SAMPLE_INVOICE_CODES[type],
      number: isDigital(type) ? `25442${String(serial).padStart(15, '0')}` : String(serial).padStart(8, '0'),
      issuedAt: issuedAt.toISOString(),
      sellerTaxNo: taxpayer.taxNo,
      sellerName: taxpayer.name,
      buyerTaxNo: buyerFrom ? buyerFrom.buyerTaxNo : individual ? null : buyer.taxNo,
      buyerName: buyerFrom ? buyerFrom.buyerName : individual ? '个人' : buyer.name,
      ...totals(lines),
      checkCode: isDigital(type) ? null : checkCode(serial),
    };
  }
}

function item(kind: ItemKind, invoice: ScenarioInvoice): ScenarioItem {
  return { eventId: randomUUID(), kind, invoice };
}

function makeLine(seed: number, quantityOverride?: number): WireLine & { fen: bigint; taxFen: bigint } {
  const goods = SAMPLE_GOODS[seed % SAMPLE_GOODS.length];
  const quantity = BigInt(quantityOverride ?? 1 + (seed % 5));
  const unitFen = 2_000n + BigInt((seed * 7919) % 300_000);
  const fen = quantity * unitFen;
  const taxFen = (fen * goods.rateBp + 5_000n) / 10_000n;
  return {
    fen,
    taxFen,
    name: goods.name,
    taxCode: goods.taxCode,
    quantity: quantity.toString(),
    unitPrice: yuan(unitFen),
    amount: yuan(fen),
    taxRate: goods.rate,
    taxAmount: yuan(taxFen),
  };
}

function negateLine(line: WireLine): WireLine {
  return {
    ...line,
    quantity: `-${line.quantity}`,
    amount: yuan(-toFen(line.amount)),
    taxAmount: yuan(-toFen(line.taxAmount)),
  };
}

function totals(lines: WireLine[]): Pick<ScenarioInvoice, 'amount' | 'taxAmount' | 'totalAmount'> & {
  lines: WireLine[];
} {
  const clean = lines.map(({ name, taxCode, quantity, unitPrice, amount, taxRate, taxAmount }) => ({
    name,
    taxCode,
    quantity,
    unitPrice,
    amount,
    taxRate,
    taxAmount,
  }));
  const amount = clean.reduce((s, l) => s + toFen(l.amount), 0n);
  const tax = clean.reduce((s, l) => s + toFen(l.taxAmount), 0n);
  return { amount: yuan(amount), taxAmount: yuan(tax), totalAmount: yuan(amount + tax), lines: clean };
}

function checkCode(serial: number): string {
  return String(59361212094539172458n + BigInt(serial) * 7919n)
    .slice(-20)
    .padStart(20, '1');
}

/** Fen of a yuan string (the domain's parser). */
export const toFen = (value: string): bigint => parseMoney(value);
/** A yuan string of fen (the domain's formatter). */
export const yuan = (fen: bigint): string => formatMoney(fen);
