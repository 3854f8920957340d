import { BUYER_NAME_IGNORED_CODE_POINTS, buyerNameKey, buyerTaxNoKey } from '@lib/domain';
import { ReconcileDb } from './support/reconcile-db';

jest.setTimeout(60_000);

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));

/** A deterministic pseudo-random sequence (mulberry32), so a failure names inputs that can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The comparison applies the buyer rules in SQL (the migration's IMMUTABLE buyer_name_key and buyer_tax_no_key) and
 * the domain in TypeScript (buyerNameKey, buyerTaxNoKey): on a real PostgreSQL, both give the same key for tricky
 * inputs — every full-width ASCII character, every whitespace character, the characters just outside those ranges,
 * other scripts' capitals, astral characters, quotes and backslashes — and for thousands of random mixes of them.
 */
describe('buyer comparison keys: SQL and TypeScript agree', () => {
  const db = new ReconcileDb();
  beforeAll(() => db.start());
  afterAll(() => db.stop());

  const sqlKeys = (inputs: (string | null)[]) =>
    db.query<{ name: string | null; tax_no: string | null }>(
      `SELECT buyer_name_key(x) AS name, buyer_tax_no_key(x) AS tax_no FROM unnest($1::text[]) WITH ORDINALITY AS t(x, i) ORDER BY i`,
      [inputs],
    );
  const expectAgreement = async (inputs: (string | null)[]) => {
    const sql = await sqlKeys(inputs);
    const mismatches = inputs.flatMap((input, i) => {
      const ts = { name: buyerNameKey(input), tax_no: buyerTaxNoKey(input) };
      return ts.name === sql[i].name && ts.tax_no === sql[i].tax_no ? [] : [{ input, ts, sql: sql[i] }];
    });
    expect(mismatches).toEqual([]);
  };

  const ALPHABET = [
    ...range(0xff01, 0xff5e), // full-width ASCII
    ...BUYER_NAME_IGNORED_CODE_POINTS.map((cp) => String.fromCodePoint(cp)),
    ...range(0x21, 0x7e), // ASCII, quotes and backslash included
    '\uff00',
    '\uff5f',
    '\uffe0',
    '\uffe5',
    '\u200b',
    '\u3001',
    '\u00c9',
    '\u00e9',
    'ß',
    'Σ',
    'Ж',
    'İ',
    '\u212a', // near misses, other scripts' case
    '有',
    '限',
    '公',
    '司',
    '（',
    '）',
    '𠀀',
    '😀',
  ];

  it('agree on every character of the alphabet alone, at the ends and between others', async () => {
    await expectAgreement(ALPHABET);
    await expectAgreement(ALPHABET.map((c) => `${c}a${c}Ｂ${c}`));
    await expectAgreement([
      null,
      '',
      ' ',
      '\u3000',
      '\t\n',
      'ＡＢＣ１２３（）',
      ' 91310115ma1h0aaa2b\u3000',
      "O'Brien \\ Co",
    ]);
  });

  it('agree on thousands of random mixes', async () => {
    const next = random(20261216);
    const inputs = Array.from({ length: 5_000 }, () =>
      Array.from(
        { length: 1 + Math.floor(next() * 24) },
        () => ALPHABET[Math.floor(next() * ALPHABET.length)],
      ).join(''),
    );
    await expectAgreement(inputs);
  });

  it('are IMMUTABLE, so the planner may fold and index them', async () => {
    const rows = await db.query<{ proname: string; provolatile: string }>(
      `SELECT proname, provolatile FROM pg_proc WHERE proname IN ('buyer_name_key', 'buyer_tax_no_key') AND pronamespace = $1::regnamespace ORDER BY proname`,
      [db.schema],
    );
    expect(rows).toEqual([
      { proname: 'buyer_name_key', provolatile: 'i' },
      { proname: 'buyer_tax_no_key', provolatile: 'i' },
    ]);
  });
});
