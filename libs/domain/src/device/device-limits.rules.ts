import { DomainException } from '../common/domain.exception';
import { Fen } from '../money/money.parser';
import { LocalDate } from '../time/local-date.util';
import { daysUntil } from '../time/shanghai-time.util';

export const DEFAULT_NEAR_LIMIT_PERCENT = 80;

export type LockState = 'locked' | 'imminent' | 'ok';

export interface LockStatus {
  state: LockState;
  /** Calendar days (Asia/Shanghai) until the lock date: 0 = it is the last day, negative = locked. */
  daysLeft: number;
}

/**
 * The lock date a device reports (开票截止日期) is the last day it can issue. It is locked once that day has passed,
 * and the lock is imminent when at most `withinDays` days remain.
 */
export function lockStatus(lockDate: LocalDate, now: Date, withinDays: number): LockStatus {
  if (!Number.isInteger(withinDays) || withinDays < 0) {
    throw new DomainException('INVALID_ARGUMENT', 'withinDays must be a non-negative integer');
  }
  const daysLeft = daysUntil(lockDate, now);
  return { state: daysLeft < 0 ? 'locked' : daysLeft <= withinDays ? 'imminent' : 'ok', daysLeft };
}

export function isLockImminent(lockDate: LocalDate, now: Date, withinDays: number): boolean {
  return lockStatus(lockDate, now, withinDays).state !== 'ok';
}

export interface OfflineReading {
  /** When the device went offline; null when online. */
  offlineSince: Date | null;
  offlineAmount: Fen;
  offlineAmountLimit: Fen;
  offlineHoursLimit: number;
}

export interface LimitUse {
  /** Basis points of the limit used (8000 = 80 %); null when the limit is zero. */
  usedBasisPoints: number | null;
  near: boolean;
  reached: boolean;
}

export interface OfflineStatus {
  duration: LimitUse;
  amount: LimitUse;
  /** True when either measure reached the threshold (near) or the limit itself (reached). */
  near: boolean;
  reached: boolean;
}

/**
 * How close a device is to its offline limits (离线开票时长 / 离线开票金额), each compared exactly with integers.
 * `thresholdPercent` (default 80) is when "near" starts. A limit of 0 means no offline allowance at all.
 */
export function offlineStatus(
  reading: OfflineReading,
  now: Date,
  thresholdPercent = DEFAULT_NEAR_LIMIT_PERCENT,
): OfflineStatus {
  if (!Number.isInteger(thresholdPercent) || thresholdPercent < 1 || thresholdPercent > 100) {
    throw new DomainException('INVALID_ARGUMENT', 'thresholdPercent must be an integer from 1 to 100');
  }
  if (!Number.isInteger(reading.offlineHoursLimit) || reading.offlineHoursLimit < 0) {
    throw new DomainException('INVALID_ARGUMENT', 'offlineHoursLimit must be a non-negative integer');
  }
  const elapsedMs = reading.offlineSince ? Math.max(0, now.getTime() - reading.offlineSince.getTime()) : 0;
  const duration = limitUse(
    BigInt(elapsedMs),
    BigInt(reading.offlineHoursLimit) * 3_600_000n,
    thresholdPercent,
  );
  const amount = limitUse(reading.offlineAmount, reading.offlineAmountLimit, thresholdPercent);
  return {
    duration,
    amount,
    near: duration.near || amount.near,
    reached: duration.reached || amount.reached,
  };
}

export function isOfflineLimitNear(
  reading: OfflineReading,
  now: Date,
  thresholdPercent = DEFAULT_NEAR_LIMIT_PERCENT,
): boolean {
  return offlineStatus(reading, now, thresholdPercent).near;
}

function limitUse(used: bigint, limit: bigint, thresholdPercent: number): LimitUse {
  const positiveUse = used > 0n ? used : 0n;
  if (limit <= 0n) return { usedBasisPoints: null, near: positiveUse > 0n, reached: positiveUse > 0n };
  return {
    usedBasisPoints: Number((positiveUse * 10_000n) / limit),
    near: positiveUse * 100n >= limit * BigInt(thresholdPercent),
    reached: positiveUse >= limit,
  };
}
