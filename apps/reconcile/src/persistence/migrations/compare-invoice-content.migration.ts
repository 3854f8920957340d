import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What CONTENT_MISMATCH compares besides money and status (docs/reconcile.md, "Content mismatches"):
 * - the line count of our invoices (`ledger_invoices.line_count`, from the events from now on; null on older rows:
 *   not compared) and, on staged authority records, the buyer and the line count as far as the channel carries them
 *   (null: that channel does not say, never a difference);
 * - the buyer comparison keys as IMMUTABLE SQL functions, so the set-based comparison applies exactly the rules of
 *   @lib/domain buyerNameKey and buyerTaxNoKey (apps/reconcile/test/buyer-identity-sql.int-spec.ts proves they agree):
 *   `buyer_name_key`: full-width ASCII (U+FF01–U+FF5E) made half-width, Latin capitals made small, every whitespace
 *   character removed; `buyer_tax_no_key`: whitespace trimmed at both ends, a–z made capitals, empty as null.
 *   Both are plain `translate` calls (no regular expression, no collation: the result cannot depend on the locale).
 */

/** The characters removed from a name (and trimmed from a tax number): Unicode White_Space and U+FEFF. */
const WHITESPACE = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005,
  0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
];

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const chars = (codePoints: number[]) => String.fromCodePoint(...codePoints);
const lowerLatin = (cp: number) => (cp >= 0x41 && cp <= 0x5a ? cp + 0x20 : cp);

/** translate()'s map for names: each full-width character to its lower-cased ASCII, A–Z to a–z; whitespace has no counterpart, so it is deleted. */
const NAME_FROM = chars([...range(0xff01, 0xff5e), ...range(0x41, 0x5a), ...WHITESPACE]);
const NAME_TO = chars([...range(0x21, 0x7e).map(lowerLatin), ...range(0x61, 0x7a)]);

/** A string constant that means the same whatever standard_conforming_strings says. */
const literal = (s: string) => `E'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

export class CompareInvoiceContent1766000003000 implements MigrationInterface {
  name = 'CompareInvoiceContent1766000003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE ledger_invoices ADD COLUMN line_count int');
    await q.query(
      'ALTER TABLE authority_staged ADD COLUMN buyer_tax_no text, ADD COLUMN buyer_name text, ADD COLUMN line_count int',
    );
    await q.query(`
      CREATE FUNCTION buyer_name_key(name text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        RETURN translate(name, ${literal(NAME_FROM)}, ${literal(NAME_TO)})`);
    await q.query(`
      CREATE FUNCTION buyer_tax_no_key(tax_no text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        RETURN NULLIF(translate(btrim(tax_no, ${literal(chars(WHITESPACE))}), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), '')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION IF EXISTS buyer_tax_no_key(text)');
    await q.query('DROP FUNCTION IF EXISTS buyer_name_key(text)');
    await q.query(
      'ALTER TABLE authority_staged DROP COLUMN IF EXISTS line_count, DROP COLUMN IF EXISTS buyer_name, DROP COLUMN IF EXISTS buyer_tax_no',
    );
    await q.query('ALTER TABLE ledger_invoices DROP COLUMN IF EXISTS line_count');
  }
}
