/**
 * How the buyer on an invoice is compared between two copies of it (our ledger, the authority's record). Names are
 * typed by people and re-keyed by platforms: full-width letters and digits (ＡＢＣ１２３), the ideographic space, doubled
 * or missing spaces and the case of Latin letters are typing, not another buyer. The authority ignores spacing in a
 * buyer's name altogether (a name is matched without any whitespace), so the comparison key drops every whitespace
 * character instead of collapsing runs of them.
 *
 * reconcile applies the same rules in SQL (IMMUTABLE functions created by its migration CompareInvoiceContent1766000003000);
 * apps/reconcile/test/buyer-identity-sql.int-spec.ts proves the two agree on tricky inputs. Change both together.
 */

/** Full-width forms of printable ASCII: U+FF01 (！) … U+FF5E (～) are U+0021 … U+007E shifted by this much. */
const FULL_WIDTH_FIRST = 0xff01;
const FULL_WIDTH_LAST = 0xff5e;
const FULL_WIDTH_SHIFT = 0xff01 - 0x21;

/**
 * Every character removed from a name before comparing: Unicode White_Space (tabs and line breaks, the space, NEL,
 * no-break space, the ogham space, the en/em/thin/hair spaces, line and paragraph separators, the narrow no-break and
 * medium mathematical spaces, the ideographic space U+3000) and the zero-width no-break space U+FEFF (a byte-order
 * mark pasted from a file).
 */
export const BUYER_NAME_IGNORED_CODE_POINTS: readonly number[] = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005,
  0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
];
const IGNORED = new Set(BUYER_NAME_IGNORED_CODE_POINTS);

const isUpperLatin = (cp: number) => cp >= 0x41 && cp <= 0x5a;
const isLowerLatin = (cp: number) => cp >= 0x61 && cp <= 0x7a;

/**
 * The buyer name as compared: full-width ASCII made half-width, every whitespace character removed, Latin capitals
 * made small (only A–Z: other scripts keep their case). `ＡＢＣ　Trading（深圳）` and `abc trading(深圳)` give the
 * same key. Null stays null (a name we do not know is never a difference).
 */
export function buyerNameKey(name: string | null | undefined): string | null {
  if (name === null || name === undefined) return null;
  let key = '';
  for (const ch of name) {
    let cp = ch.codePointAt(0)!;
    if (IGNORED.has(cp)) continue;
    if (cp >= FULL_WIDTH_FIRST && cp <= FULL_WIDTH_LAST) cp -= FULL_WIDTH_SHIFT;
    if (isUpperLatin(cp)) cp += 0x20;
    key += String.fromCodePoint(cp);
  }
  return key;
}

/**
 * The buyer tax number as compared: without the whitespace around it (the same characters the name ignores) and with
 * Latin letters in capitals (a USCC is written in capitals; only a–z change). Null, or nothing but whitespace, is
 * null: no buyer tax number.
 */
export function buyerTaxNoKey(taxNo: string | null | undefined): string | null {
  if (taxNo === null || taxNo === undefined) return null;
  const chars = [...taxNo];
  const blank = (ch: string) => IGNORED.has(ch.codePointAt(0)!);
  let start = 0;
  let end = chars.length;
  while (start < end && blank(chars[start])) start += 1;
  while (end > start && blank(chars[end - 1])) end -= 1;
  const key = chars
    .slice(start, end)
    .map((ch) => (isLowerLatin(ch.codePointAt(0)!) ? ch.toUpperCase() : ch))
    .join('');
  return key === '' ? null : key;
}

/** Whether two buyer names are the same buyer's name (see buyerNameKey); an unknown name on either side never differs. */
export function sameBuyerName(a: string | null | undefined, b: string | null | undefined): boolean {
  const [ka, kb] = [buyerNameKey(a), buyerNameKey(b)];
  return ka === null || kb === null || ka === kb;
}
