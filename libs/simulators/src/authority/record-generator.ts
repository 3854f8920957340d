import { z } from 'zod';
import { isDigitalType, MACHINE_NO_PATTERN, WIRE_INVOICE_TYPES, type WireInvoiceType } from '@lib/protocols';
import { fenToString, taxFen } from '../core/money.util';
import { fnv1a, SeededRandom } from '../core/seeded-random';
import { PERIOD_PATTERN, periodRange } from '../core/shanghai-time.util';
import { randomUscc } from '../core/uscc.util';
import type { AuthorityRecord } from './authority-record';

export const generateSpecSchema = z.object({
  taxNo: z.string().min(15).max(20),
  sellerName: z.string().default('模拟销方有限公司'),
  period: z.string().regex(PERIOD_PATTERN),
  count: z.number().int().min(1).max(2_000_000),
  seed: z.union([z.string(), z.number()]).default(1),
  types: z
    .array(z.enum(WIRE_INVOICE_TYPES))
    .min(1)
    .default([...WIRE_INVOICE_TYPES]),
  /** Buyers are drawn from this pool, or from `buyerPoolSize` generated USCCs. */
  buyerTaxNos: z.array(z.string()).optional(),
  buyerPoolSize: z.number().int().min(1).max(100_000).default(50),
  /** Simulated ms after seeding before the records show up (0: at once). */
  visibilityLagMs: z.number().int().min(0).default(0),
  /** 机器编号 of the device that issued them all (so a hosted device's 抄报 totals them); none by default. */
  machineNo: z.string().regex(MACHINE_NO_PATTERN).optional(),
});
export type GenerateSpec = z.input<typeof generateSpecSchema>;
export type ParsedGenerateSpec = z.output<typeof generateSpecSchema>;

const RATES_MICROS = [130_000n, 90_000n, 60_000n, 30_000n, 10_000n];
const KIND_DIGITS: Record<WireInvoiceType, string> = {
  VAT_SPECIAL: '60',
  VAT_GENERAL: '31',
  E_VAT_SPECIAL: '13',
  E_VAT_GENERAL: '11',
  DIGITAL_SPECIAL: '1',
  DIGITAL_GENERAL: '2',
};

/**
 * Deterministic authority records for a taxpayer and period (invoices "issued elsewhere" and benchmark
 * volume): same spec and seed → same records. Issue times strictly increase across the month, so the
 * records come out in listing order. Lazy, so a caller can insert them in batches.
 */
export function* generateRecords(spec: ParsedGenerateSpec, nowMs: number): Generator<AuthorityRecord> {
  const random = new SeededRandom(`${spec.seed}:${spec.taxNo}:${spec.period}`);
  const buyers = spec.buyerTaxNos ?? Array.from({ length: spec.buyerPoolSize }, () => randomUscc(random));
  const { startMs, endMs } = periodRange(spec.period);
  const step = (endMs - startMs) / spec.count;
  const yy = spec.period.slice(2, 4);
  const salt = fnv1a(`${spec.seed}|${spec.taxNo}|${spec.period}`);
  const area = String(1100 + (salt % 8000)).padStart(4, '0');
  const firstNumber = salt % 50_000_000;
  const digitalPrefix = `${yy}${area.slice(0, 2)}`;
  const digitalSalt = String((salt % 9_000_000) + 1_000_000);
  const codes = new Map(
    spec.types.map((type) => [type, isDigitalType(type) ? null : legacyCode(type, area, yy, salt)]),
  );
  const counters = new Map<WireInvoiceType, number>();
  for (let i = 0; i < spec.count; i += 1) {
    const type = spec.types[random.int(spec.types.length)];
    const sequence = (counters.get(type) ?? 0) + 1;
    counters.set(type, sequence);
    const code = codes.get(type) ?? null;
    const number =
      code === null
        ? `${digitalPrefix}${KIND_DIGITS[type]}${digitalSalt}${String(sequence).padStart(8, '0')}`
        : String(firstNumber + sequence).padStart(8, '0');
    const amountFen = BigInt(100 + random.int(2_000_000));
    const tax = taxFen(amountFen, RATES_MICROS[random.int(RATES_MICROS.length)]);
    const personal =
      (type === 'VAT_GENERAL' || type === 'E_VAT_GENERAL' || type === 'DIGITAL_GENERAL') &&
      random.int(4) === 0;
    const buyerTaxNo = personal ? null : buyers[random.int(buyers.length)];
    yield {
      key: code === null ? number : code + number,
      type,
      code,
      number,
      issuedAtMs: startMs + Math.floor(i * step),
      issuedAtText: null,
      sellerTaxNo: spec.taxNo,
      sellerName: spec.sellerName,
      buyerTaxNo,
      buyerName: buyerTaxNo ? '模拟购方企业' : '个人',
      amount: fenToString(amountFen),
      taxAmount: fenToString(tax),
      totalAmount: fenToString(amountFen + tax),
      checkCode: code === null ? null : checkCode(random),
      lines: null,
      original: null,
      redReason: null,
      redFormId: null,
      status: 'NORMAL',
      machineNo: spec.machineNo ?? null,
      redReversedFen: 0n,
      acceptedAtMs: nowMs,
      visibleAtMs: nowMs + spec.visibilityLagMs,
      source: 'seed',
      uploadId: 'SEED',
    };
  }
}

/** 20 digits from three draws (cheaper than twenty): each draw gives 7 digits, forced to 7 wide. */
function checkCode(random: SeededRandom): string {
  const a = 10_000_000 + (random.nextUint32() % 10_000_000);
  const b = 10_000_000 + (random.nextUint32() % 10_000_000);
  const c = 1_000_000 + (random.nextUint32() % 1_000_000);
  return String(a).slice(1) + String(b).slice(1) + String(c).slice(1);
}

/** 10-digit codes for paper invoices (…[2-9][0-4]), 12-digit ones (leading 0) for legacy e-invoices. */
function legacyCode(type: WireInvoiceType, area: string, yy: string, salt: number): string {
  const batch = String(salt % 1000).padStart(3, '0');
  if (type === 'VAT_SPECIAL' || type === 'VAT_GENERAL')
    return `${area}${yy}${batch.slice(1)}${KIND_DIGITS[type][0]}${salt % 5}`;
  return `0${area}${yy}${batch}${KIND_DIGITS[type]}`;
}
