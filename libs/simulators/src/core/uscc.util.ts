import type { SeededRandom } from './seeded-random';

/** GB 32100-2015 unified social credit code: charset without I, O, S, V, Z; weights 3^i mod 31. */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += CHARSET.indexOf(first17[i]) * WEIGHTS[i];
  return CHARSET[(31 - (sum % 31)) % 31];
}

/** A random, well-formed USCC (registration office 91 = enterprise, 6-digit area code). */
export function randomUscc(random: SeededRandom): string {
  let body = `91${String(110000 + random.int(540000)).padStart(6, '0')}`;
  for (let i = 0; i < 9; i += 1) body += CHARSET[random.int(CHARSET.length)];
  return body + usccCheckChar(body);
}

/** Taxpayer ids seen in practice: 18-char USCC, or legacy 15/17/20-character ids. */
export const TAX_NO_PATTERN =
  /^([0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}|[0-9A-Z]{15}|[0-9A-Z]{17}|[0-9A-Z]{20})$/;
