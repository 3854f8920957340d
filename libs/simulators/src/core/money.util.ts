/** Decimal-string money ↔ integer fen (bigint). Never a float. */
export const MONEY_PATTERN = /^-?\d{1,15}(\.\d{1,2})?$/;
const RATE_PATTERN = /^(0(\.\d{1,6})?|1(\.0{1,6})?)$/;

export function toFen(value: string): bigint | null {
  if (!MONEY_PATTERN.test(value)) return null;
  const negative = value.startsWith('-');
  const [whole, fraction = ''] = (negative ? value.slice(1) : value).split('.');
  const fen = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  return negative ? -fen : fen;
}

export function fenToString(fen: bigint): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const text = `${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

/** "0.13" → 130000n (millionths), or null. */
export function rateToMicros(rate: string): bigint | null {
  if (!RATE_PATTERN.test(rate)) return null;
  const [whole, fraction = ''] = rate.split('.');
  return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
}

/** amount × rate in fen, rounded half away from zero. */
export function taxFen(amountFen: bigint, rateMicros: bigint): bigint {
  const product = amountFen * rateMicros;
  const negative = product < 0n;
  const abs = negative ? -product : product;
  const rounded = (abs + 500_000n) / 1_000_000n;
  return negative ? -rounded : rounded;
}

export function sameMoney(a: string, b: string): boolean {
  const left = toFen(a);
  const right = toFen(b);
  return left !== null && right !== null && left === right;
}
