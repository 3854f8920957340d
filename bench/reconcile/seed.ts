// Seeds reconcile's ledger projection for the reconcile benchmark, in a process of its own (so that the benchmark's
// peak RSS is the reconcile run's, not the seeding's). Run by reconcile.bench.ts; prints the expected counts as JSON.
//
// The authority's side is the sandbox's: `generate` {taxNo, period, count: N, seed: AUTHORITY_SEED} (all six invoice
// types). The same generator, run here, yields the same records in the same order; record i becomes a ledger invoice
// by i % 100 (1% of each kind, spread over every type since the type of each record is drawn at random):
//   1 not in the ledger (MISSING_IN_LEDGER)       2 one fen more tax here (AMOUNT_MISMATCH)
//   3 voided here (paper types) or red-reversed (the others), normal there (STATUS_MISMATCH)
//   4 issued twice here with other money (DUPLICATE_INVOICE)        other: equal on both sides
// plus 2% invoices only in the ledger (another seed): half accepted long ago (MISSING_IN_AUTHORITY), half accepted an
// hour before the run (within the visibility lag: pending, no finding). Devices: dev-0 … dev-999 by i % 1000.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { formatMoney, invoiceKey, parseMoney } from '@lib/domain';
import { generateRecords, generateSpecSchema, type AuthorityRecord } from '@lib/simulators';
import { AUTHORITY_SEED, SEED_DEVICES } from './seed.sql';

const LEDGER_ONLY_SEED = 'reconcile-bench-ledger-only';
const PAPER = new Set(['VAT_SPECIAL', 'VAT_GENERAL']);
const LONG_AGO = '2026-10-10T03:00:00Z';

export type Kind =
  | 'MISSING_IN_AUTHORITY'
  | 'MISSING_IN_LEDGER'
  | 'AMOUNT_MISMATCH'
  | 'STATUS_MISMATCH'
  | 'DUPLICATE_INVOICE'
  | 'PENDING';
const KIND_OF: Record<number, Kind> = {
  1: 'MISSING_IN_LEDGER',
  2: 'AMOUNT_MISMATCH',
  3: 'STATUS_MISMATCH',
  4: 'DUPLICATE_INVOICE',
};

interface LedgerRow {
  key: string;
  type: string;
  code: string | null;
  number: string;
  issuedAt: string;
  device: string;
  state: 'issued' | 'voided' | 'red_reversed';
  amount: string;
  tax: string;
  total: string;
  acceptedAt: string;
  duplicate: boolean;
}

/** Expected findings per kind and invoice type, and the rows to write. */
function* ledgerRows(
  taxNo: string,
  period: string,
  n: number,
  nowMs: number,
  expected: Record<string, Record<string, number>>,
): Generator<LedgerRow> {
  const count = (kind: Kind, type: string) => {
    expected[kind] ??= {};
    expected[kind][type] = (expected[kind][type] ?? 0) + 1;
  };
  const spec = generateSpecSchema.parse({ taxNo, period, count: n, seed: AUTHORITY_SEED });
  let i = 0;
  for (const r of generateRecords(spec, nowMs)) {
    const kind = KIND_OF[i % 100];
    const device = `dev-${i % 1000}`;
    i += 1;
    if (kind) count(kind, r.type);
    if (kind === 'MISSING_IN_LEDGER') continue;
    const plusFen = kind === 'AMOUNT_MISMATCH' ? 1n : 0n;
    yield {
      ...asLedger(r, device, LONG_AGO),
      state: kind === 'STATUS_MISMATCH' ? (PAPER.has(r.type) ? 'voided' : 'red_reversed') : 'issued',
      tax: formatMoney(parseMoney(r.taxAmount) + plusFen),
      total: formatMoney(parseMoney(r.totalAmount) + plusFen),
      duplicate: kind === 'DUPLICATE_INVOICE',
    };
  }
  const only = generateSpecSchema.parse({ taxNo, period, count: Math.floor(n / 50), seed: LEDGER_ONLY_SEED });
  let j = 0;
  const anHourAgo = new Date(nowMs - 3_600_000).toISOString();
  for (const r of generateRecords(only, nowMs)) {
    const pending = j % 2 === 1;
    count(pending ? 'PENDING' : 'MISSING_IN_AUTHORITY', r.type);
    yield asLedger(r, `dev-${j % 1000}`, pending ? anHourAgo : LONG_AGO);
    j += 1;
  }
}

/** An authority record as the same invoice in our ledger, issued and equal. */
function asLedger(r: AuthorityRecord, device: string, acceptedAt: string): LedgerRow {
  return {
    key: invoiceKey({ code: r.code, number: r.number }),
    type: r.type,
    code: r.code,
    number: r.number,
    issuedAt: new Date(r.issuedAtMs).toISOString(),
    device,
    state: 'issued',
    amount: r.amount,
    tax: r.taxAmount,
    total: r.totalAmount,
    acceptedAt,
    duplicate: false,
  };
}

/** COPY … FROM STDIN of text-format lines (values here never hold tabs, newlines or backslashes). */
async function copy(client: Client, sql: string, lines: Iterable<string>): Promise<void> {
  const source = Readable.from(
    (function* () {
      let chunk = '';
      for (const line of lines) {
        chunk += line;
        if (chunk.length > 1 << 16) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    })(),
  );
  await pipeline(source, client.query(copyFrom(sql)));
}

async function main(): Promise<void> {
  const { DATABASE_URL, BENCH_SCHEMA, BENCH_N, BENCH_TAX_NO, BENCH_PERIOD, BENCH_NOW } = process.env;
  if (!DATABASE_URL || !BENCH_SCHEMA || !BENCH_N || !BENCH_TAX_NO || !BENCH_PERIOD || !BENCH_NOW)
    throw new Error('seed.ts: run by reconcile.bench.ts');
  const n = Number(BENCH_N);
  const nowMs = new Date(BENCH_NOW).getTime();
  const client = new Client({ connectionString: DATABASE_URL, options: `-c search_path=${BENCH_SCHEMA}` });
  await client.connect();
  const expected: Record<string, Record<string, number>> = {};
  try {
    const rows = () => ledgerRows(BENCH_TAX_NO, BENCH_PERIOD, n, nowMs, expected);
    const na = (v: string | null) => v ?? '\\N';
    await copy(
      client,
      `COPY ledger_invoices (invoice_key, tax_no, branch_id, device_id, period, invoice_type, invoice_code, invoice_number, colour, state,
         amount, tax_amount, total_amount, issued_at, received_at, source, updated_at) FROM STDIN`,
      (function* () {
        for (const r of rows())
          yield `${r.key}\t${BENCH_TAX_NO}\tsz\t${r.device}\t${BENCH_PERIOD}\t${r.type}\t${na(r.code)}\t${r.number}\tblue\t${r.state}\t${r.amount}\t${r.tax}\t${r.total}\t${r.issuedAt}\t${r.issuedAt}\tledger\t${r.issuedAt}\n`;
      })(),
    );
    for (const key of Object.keys(expected)) delete expected[key]; // counted again by the next passes over the same rows
    await copy(
      client,
      'COPY ledger_invoice_versions (invoice_key, content_hash, amount, tax_amount, total_amount, first_event_id, seen_at) FROM STDIN',
      (function* () {
        let id = 0;
        const uuid = () => `00000000-0000-4000-8000-${String((id += 1)).padStart(12, '0')}`;
        for (const r of rows()) {
          yield `${r.key}\tv1\t${r.amount}\t${r.tax}\t${r.total}\t${uuid()}\t${r.issuedAt}\n`;
          if (r.duplicate) {
            const amount = parseMoney(r.amount) * 2n;
            const tax = parseMoney(r.tax) * 2n;
            yield `${r.key}\tv2\t${formatMoney(amount)}\t${formatMoney(tax)}\t${formatMoney(amount + tax)}\t${uuid()}\t${r.issuedAt}\n`;
          }
        }
      })(),
    );
    for (const key of Object.keys(expected)) delete expected[key];
    await copy(
      client,
      'COPY sync_deliveries (invoice_key, target, outcome, attempts, first_accepted_at, last_accepted_at, at) FROM STDIN',
      (function* () {
        for (const r of rows())
          yield `${r.key}\tauthority\taccepted\t1\t${r.acceptedAt}\t${r.acceptedAt}\t${r.acceptedAt}\n`;
      })(),
    );
    for (const sql of SEED_DEVICES) await client.query(sql, [BENCH_TAX_NO, BENCH_PERIOD]);
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
  process.stdout.write(`${JSON.stringify(expected)}\n`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
