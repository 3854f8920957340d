import { api } from '../api/client';
import type { Row } from '../api/types';
import { shanghaiToday } from '../domain/format';

/** The filing a compliance answer judges (reconcile's `filing`): the period due, its deadline day (Beijing time). */
export interface Filing {
  period: string;
  deadline: string;
  closesAt?: string;
  daysLeft?: number;
  overdue?: boolean;
}

/** One device's compliance as reconcile projects it from the device events (`GET /v1/devices`). */
export interface DeviceCompliance {
  deviceId: string;
  taxNo: string;
  branchId: string;
  deviceNo: string | null;
  lastClearCard: { period: string; status: string; at: string } | null;
  clearedForPeriod: boolean;
  clearRequired?: boolean;
  lockDate: string | null;
  offlineSince: string | null;
  offlineAmount: string | null;
  offlineAmountLimit: string | null;
  offlineHoursLimit: number | null;
  lastReport: { period: string; at: string } | null;
}

export interface CompliancePage {
  items: DeviceCompliance[];
  nextCursor: string | null;
  total: number;
  filing: Filing;
}

/** A registry device (the gateway's) with its compliance (reconcile's), null when reconcile has seen no event of it. */
export type BoardRow = Row & { deviceId: string; compliance: DeviceCompliance | null };

/**
 * The compliance of a page of the gateway's registry, joined by device id: one call to reconcile naming the page's
 * devices. When reconcile cannot answer, the registry still shows (compliance null) and `error` says why.
 */
export async function joinCompliance(devices: Row[]): Promise<{ rows: BoardRow[]; filing: Filing | null; error: unknown }> {
  const ids = devices.map((d) => String(d.deviceId));
  let page: CompliancePage | null = null;
  let error: unknown = null;
  try {
    page = ids.length > 0 ? await api.get<CompliancePage>('reconcile', 'devices', { deviceIds: ids.join(','), limit: ids.length }) : null;
  } catch (e) {
    error = e;
  }
  const byId = new Map((page?.items ?? []).map((c) => [c.deviceId, c]));
  return {
    rows: devices.map((d) => ({ ...d, deviceId: String(d.deviceId), compliance: byId.get(String(d.deviceId)) ?? null })),
    filing: page?.filing ?? null,
    error,
  };
}

/** Days from today (Beijing time) to a `YYYY-MM-DD` lock date: 0 on the day, negative once passed. */
export function daysToLock(lockDate: string, now: Date = new Date()): number {
  const [y, m, d] = shanghaiToday(now);
  const [ly, lm, ld] = lockDate.split('-').map(Number);
  return Math.round((Date.UTC(ly, lm - 1, ld) - Date.UTC(y, m - 1, d)) / 86_400_000);
}

/** A lock date within this many days (or passed) is shown in red. */
export const LOCK_WARNING_DAYS = 7;

export function lockIsNear(lockDate: string | null, now: Date = new Date()): boolean {
  return lockDate !== null && daysToLock(lockDate, now) <= LOCK_WARNING_DAYS;
}

/** A decimal string (`1234.5`, `-3.20`) as integer fen: money is never a float. */
export function toFen(value: string): bigint | null {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!match) return null;
  const fen = BigInt(match[2]) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -fen : fen;
}

/** The offline amount as a whole percent of its limit (0-100 for the bar; 100 when over or the limit is 0 and any is used). */
export function offlinePercent(c: Pick<DeviceCompliance, 'offlineAmount' | 'offlineAmountLimit'>): number | null {
  if (c.offlineAmount === null || c.offlineAmountLimit === null) return null;
  const amount = toFen(c.offlineAmount);
  const limit = toFen(c.offlineAmountLimit);
  if (amount === null || limit === null) return null;
  const used = amount > 0n ? amount : 0n;
  if (limit <= 0n) return used > 0n ? 100 : 0;
  const percent = Number((used * 100n) / limit);
  return percent > 100 ? 100 : percent;
}
