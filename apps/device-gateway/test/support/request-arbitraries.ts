import fc from 'fast-check';
import { clearCardBody, item, Json, monitorBody, redItem, reportBody, voidItem } from './invoice-fixtures';

/** What a random request is made of; headers are signed by the test, then possibly broken. */
export interface FuzzRequest {
  target: 'invoices' | 'clear-card' | 'reports' | 'monitor';
  /** A JSON value to send, or raw text (possibly not JSON at all). */
  body: { json: unknown } | { text: string };
  headerFault: HeaderFault;
}

export type HeaderFault =
  | { kind: 'none' }
  | { kind: 'drop'; header: string }
  | { kind: 'set'; header: string; value: string }
  | { kind: 'skew'; ms: number }
  | { kind: 'other-device' };

const AUTH_HEADERS = ['X-Device-Id', 'X-Timestamp', 'X-Nonce', 'X-Signature', 'Content-Type'];

/** Odd values: huge and tiny numbers, unicode (surrogates, RTL, NUL), empty things, deep-ish nesting. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    1e308,
    -1e308,
    5e-324,
    2 ** 53 + 1,
    -0,
    '',
    ' ',
    '0',
    '-0.00',
    '1e2',
    '９９.００',
    '\u0000',
    '\ud800',
    '\u202e١٢٣',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 100, maxLength: 300 }),
  fc.array(fc.constant(null), { maxLength: 3 }),
  fc.constant({}),
);

function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value as Json);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

/** Replaces (or deletes) the value at one path of a copy of `value`. */
function mutate(value: unknown, pick: number, replacement: unknown, remove: boolean): unknown {
  const copy = structuredClone(value);
  const all = paths(copy).filter((p) => p.length > 0);
  if (all.length === 0) return replacement;
  const path = all[pick % all.length];
  let parent = copy as Json;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[key];
  const last = path[path.length - 1];
  if (remove && !Array.isArray(parent)) delete (parent as Record<string | number, unknown>)[last];
  else (parent as Record<string | number, unknown>)[last] = replacement;
  return copy;
}

const mutation = fc.record({ pick: fc.nat(), replacement: oddValue, remove: fc.boolean() });

const validInvoice = fc.constantFrom(item, redItem, voidItem).map((make) => make());
const invoiceItem = fc.oneof(
  { weight: 3, arbitrary: validInvoice },
  {
    weight: 4,
    arbitrary: fc
      .tuple(validInvoice, fc.array(mutation, { minLength: 1, maxLength: 3 }))
      .map(([v, ms]) => ms.reduce((acc, m) => mutate(acc, m.pick, m.replacement, m.remove), v as unknown)),
  },
  { weight: 1, arbitrary: oddValue },
);

const invoicesBody = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.array(invoiceItem, { minLength: 1, maxLength: 6 }).map((invoices) => ({ invoices })),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(invoiceItem, { minLength: 1, maxLength: 6 })
      .chain((items) => fc.tuple(fc.constant(items), mutation))
      .map(([invoices, m]) => mutate({ invoices }, m.pick, m.replacement, m.remove)),
  },
  { weight: 1, arbitrary: oddValue },
);

const deviceBody = (make: () => Json) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(null).map(() => make()) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constant(null).map(() => make()),
          mutation,
        )
        .map(([b, m]) => mutate(b, m.pick, m.replacement, m.remove)),
    },
    { weight: 1, arbitrary: oddValue },
  );

const rawText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.nat(400).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.nat(400).map((depth) => `{"invoices":${'['.repeat(depth)}${']'.repeat(depth)}}`),
  fc.constantFrom(
    '',
    'null',
    'true',
    '"text"',
    '{"invoices":',
    '{"invoices":[{}]}garbage',
    '\ufeff{"invoices":[]}',
  ),
);

const headerFault: fc.Arbitrary<HeaderFault> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...AUTH_HEADERS).map((header) => ({ kind: 'drop' as const, header })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...AUTH_HEADERS),
        fc.oneof(fc.string({ maxLength: 80 }), fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/)),
      )
      .map(([header, value]) => ({ kind: 'set' as const, header, value: value.replace(/[\r\n\0]/g, '') })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: -900_000, max: 900_000 }).map((ms) => ({ kind: 'skew' as const, ms })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'other-device' as const }) },
);

export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      target: fc.constant('invoices' as const),
      body: invoicesBody.map((json) => ({ json })),
      headerFault,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      target: fc.constant('clear-card' as const),
      body: deviceBody(clearCardBody).map((json) => ({ json })),
      headerFault,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      target: fc.constant('reports' as const),
      body: deviceBody(reportBody).map((json) => ({ json })),
      headerFault,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      target: fc.constant('monitor' as const),
      body: deviceBody(monitorBody).map((json) => ({ json })),
      headerFault,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      target: fc.constantFrom('invoices' as const, 'monitor' as const),
      body: rawText.map((text) => ({ text })),
      headerFault,
    }),
  },
);
