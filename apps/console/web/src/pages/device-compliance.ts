import type { Row } from '../api/types';

/**
 * A device's compliance facts (清卡, lock date, offline amount, 抄报) as far as the devices API shows them; the fields
 * are read loosely (flat, or under `compliance` / `monitor`) because the gateway is still growing them.
 */
export interface Compliance {
  lastClearCard: string;
  lockDate: string;
  offline: string;
  lastReport: string;
}

function obj(value: unknown): Row {
  return value && typeof value === 'object' ? (value as Row) : {};
}

function str(value: unknown): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : String(value);
}

export function complianceOf(device: Row): Compliance {
  const c = { ...device, ...obj(device.monitor), ...obj(device.compliance) };
  const clear = obj(c.lastClearCard ?? c.clearCard);
  const report = obj(c.lastReport ?? c.report);
  const clearText = [str(clear.period), str(clear.status), str(clear.at)?.slice(0, 10)].filter(Boolean).join(' · ');
  const reportText = [str(report.period), str(report.at)?.slice(0, 10)].filter(Boolean).join(' · ');
  const amount = str(c.offlineAmount);
  const limit = str(c.offlineAmountLimit);
  return {
    lastClearCard: clearText || '—',
    lockDate: str(c.lockDate) ?? '—',
    offline: amount || limit ? `${amount ?? '—'} / ${limit ?? '—'}` : '—',
    lastReport: reportText || '—',
  };
}
