import { shanghaiPartsOf } from '@lib/domain';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "3 Nov" (Asia/Shanghai), or "3 Nov 2025" when not in the year of `now`. */
export function shortDate(value: unknown, now: Date): string {
  const at = new Date(String(value));
  if (Number.isNaN(at.getTime())) return 'an unknown date';
  const parts = shanghaiPartsOf(at);
  const sameYear = parts.year === shanghaiPartsOf(now).year;
  return `${parts.day} ${MONTHS[parts.month - 1]}${sameYear ? '' : ` ${parts.year}`}`;
}

/** "2026-11-17" → "17 Nov 2026". */
export function localDate(value: unknown): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value));
  return match ? `${Number(match[3])} ${MONTHS[Number(match[2]) - 1]} ${match[1]}` : String(value);
}

/** Whole days between two instants, never negative. */
export function wholeDays(from: unknown, now: Date): number {
  const at = new Date(String(from)).getTime();
  return Number.isNaN(at) ? 0 : Math.max(0, Math.floor((now.getTime() - at) / 86_400_000));
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Decimal yuan with thousands separators: "1234567.50" → "1,234,567.50" (string only, never a float). */
export function yuan(value: unknown): string {
  const text = String(value ?? '0.00');
  const negative = text.startsWith('-');
  const [whole, fraction = '00'] = (negative ? text.slice(1) : text).split('.');
  return `${negative ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction.padEnd(2, '0')}`;
}

const TARGET_NAMES: Record<string, string> = { authority: 'the authority', baiwang: 'Baiwang', nuonuo: 'Nuonuo' };

export function targetName(target: unknown): string {
  return TARGET_NAMES[String(target)] ?? String(target);
}
