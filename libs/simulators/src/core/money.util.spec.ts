import { fenToString, rateToMicros, taxFen, toFen } from './money.util';
import { dayOf, isoShanghai, periodOf, periodRange, previousPeriod } from './shanghai-time.util';
import { SeededRandom } from './seeded-random';
import { randomUscc, usccCheckChar } from './uscc.util';

describe('money', () => {
  it('parses and formats decimal strings as integer fen', () => {
    expect(toFen('1.1')).toBe(110n);
    expect(toFen('-0.05')).toBe(-5n);
    expect(toFen('1.234')).toBeNull();
    expect(toFen('1e3')).toBeNull();
    expect(fenToString(-5n)).toBe('-0.05');
    expect(fenToString(123456n)).toBe('1234.56');
  });

  it('computes tax with half-away-from-zero rounding', () => {
    expect(taxFen(toFen('100.05')!, rateToMicros('0.13')!)).toBe(1301n);
    expect(taxFen(toFen('-100.05')!, rateToMicros('0.13')!)).toBe(-1301n);
    expect(rateToMicros('1.5')).toBeNull();
  });
});

describe('Shanghai time', () => {
  it('puts 16:30 UTC on the last day of a month in the next Shanghai month', () => {
    const ms = Date.parse('2024-04-30T16:30:00Z');
    expect(periodOf(ms)).toBe('2024-05');
    expect(dayOf(ms)).toBe('20240501');
    expect(isoShanghai(ms)).toBe('2024-05-01T00:30:00+08:00');
    expect(periodRange('2024-05').startMs).toBe(Date.parse('2024-05-01T00:00:00+08:00'));
    expect(previousPeriod('2024-01')).toBe('2023-12');
  });
});

describe('seeded randomness and USCC', () => {
  it('is deterministic under a seed and makes valid check characters', () => {
    const a = new SeededRandom('s');
    const b = new SeededRandom('s');
    expect([a.next(), a.next(), a.int(10)]).toEqual([b.next(), b.next(), b.int(10)]);
    expect(new SeededRandom('t').next()).not.toBe(new SeededRandom('s').next());
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
    const code = randomUscc(a);
    expect(code.slice(17)).toBe(usccCheckChar(code.slice(0, 17)));
  });
});
