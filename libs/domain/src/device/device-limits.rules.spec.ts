import { parseMoney } from '../money/money.parser';
import {
  isLockImminent,
  isOfflineLimitNear,
  lockStatus,
  offlineStatus,
  OfflineReading,
} from './device-limits.rules';

describe('lock date', () => {
  const now = new Date('2025-02-17T09:00:00+08:00');

  it.each([
    ['2025-03-20', 'ok', 31],
    ['2025-02-20', 'imminent', 3],
    ['2025-02-17', 'imminent', 0],
    ['2025-02-16', 'locked', -1],
  ] as const)('lock date %s with 3 days warning → %s', (lockDate, state, daysLeft) => {
    expect(lockStatus(lockDate, now, 3)).toEqual({ state, daysLeft });
  });

  it('counts days in Shanghai, not UTC', () => {
    const lateEvening = new Date('2025-02-16T16:30:00Z'); // 00:30 on the 17th in Shanghai
    expect(lockStatus('2025-02-17', lateEvening, 0).state).toBe('imminent');
    expect(lockStatus('2025-02-16', lateEvening, 0).state).toBe('locked');
  });

  it('reports imminence and validates the window', () => {
    expect(isLockImminent('2025-02-21', now, 3)).toBe(false);
    expect(isLockImminent('2025-02-20', now, 3)).toBe(true);
    expect(() => lockStatus('2025-02-20', now, -1)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => lockStatus('2025-02-20', now, 1.5)).toThrow();
  });
});

describe('offline limits', () => {
  const now = new Date('2025-03-10T12:00:00+08:00');
  const reading = (over: Partial<OfflineReading> = {}): OfflineReading => ({
    offlineSince: null,
    offlineAmount: 0n,
    offlineAmountLimit: parseMoney('100000.00'),
    offlineHoursLimit: 72,
    ...over,
  });

  it('is quiet for an online device', () => {
    expect(offlineStatus(reading(), now)).toEqual({
      duration: { usedBasisPoints: 0, near: false, reached: false },
      amount: { usedBasisPoints: 0, near: false, reached: false },
      near: false,
      reached: false,
    });
  });

  it('flags the duration at exactly 80 % of the hours limit', () => {
    const since = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    expect(offlineStatus(reading({ offlineSince: since(57.5) }), now).duration.near).toBe(false);
    expect(offlineStatus(reading({ offlineSince: since(57.6) }), now).duration).toEqual({
      usedBasisPoints: 8000,
      near: true,
      reached: false,
    });
    expect(offlineStatus(reading({ offlineSince: since(72) }), now).duration.reached).toBe(true);
  });

  it('flags the amount at exactly 80 % of the amount limit, in fen', () => {
    expect(offlineStatus(reading({ offlineAmount: parseMoney('79999.99') }), now).amount.near).toBe(false);
    const near = offlineStatus(reading({ offlineAmount: parseMoney('80000.00') }), now);
    expect(near.amount).toEqual({ usedBasisPoints: 8000, near: true, reached: false });
    expect(near.near).toBe(true);
    expect(offlineStatus(reading({ offlineAmount: parseMoney('100000.00') }), now).reached).toBe(true);
  });

  it('takes the threshold as a parameter', () => {
    const r = reading({ offlineAmount: parseMoney('60000.00') });
    expect(isOfflineLimitNear(r, now)).toBe(false);
    expect(isOfflineLimitNear(r, now, 60)).toBe(true);
    expect(() => offlineStatus(r, now, 0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => offlineStatus(r, now, 80.5)).toThrow();
  });

  it('treats a zero limit as no allowance at all', () => {
    expect(offlineStatus(reading({ offlineAmountLimit: 0n }), now).amount).toEqual({
      usedBasisPoints: null,
      near: false,
      reached: false,
    });
    expect(offlineStatus(reading({ offlineAmountLimit: 0n, offlineAmount: 1n }), now).amount.reached).toBe(
      true,
    );
  });

  it('ignores an offlineSince in the future and rejects a bad hours limit', () => {
    expect(
      offlineStatus(reading({ offlineSince: new Date(now.getTime() + 60_000) }), now).duration
        .usedBasisPoints,
    ).toBe(0);
    expect(() => offlineStatus(reading({ offlineHoursLimit: -1 }), now)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
