import type { ClearCardStatus, ClearCardView } from '@lib/protocols';

export interface ClearCardSeed {
  taxNo: string;
  deviceNo: string;
  period: string;
  status: ClearCardStatus;
  clearedAt?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
}

/**
 * Clear-card (清卡) state per device and reporting period. Unknown devices are NOT_CLEARED. A state seeded
 * as FAILED makes the next write-back fail with its error code (a device that cannot be cleared).
 */
export class ClearCardRepository {
  private states = new Map<string, ClearCardView>();

  get(taxNo: string, deviceNo: string, period: string): ClearCardView {
    return (
      this.states.get(key(taxNo, deviceNo, period)) ?? {
        taxNo,
        deviceNo,
        period,
        status: 'NOT_CLEARED',
        clearedAt: null,
        errorCode: null,
        errorMessage: null,
      }
    );
  }

  set(seed: ClearCardSeed): ClearCardView {
    const view: ClearCardView = {
      taxNo: seed.taxNo,
      deviceNo: seed.deviceNo,
      period: seed.period,
      status: seed.status,
      clearedAt: seed.clearedAt ?? null,
      errorCode: seed.status === 'FAILED' ? (seed.errorCode ?? 'CLEAR_FAILED') : null,
      errorMessage: seed.status === 'FAILED' ? (seed.errorMessage ?? '清卡失败：存在未上传发票') : null,
    };
    this.states.set(key(seed.taxNo, seed.deviceNo, seed.period), view);
    return view;
  }

  /** Performs a clearing (Baiwang one-key write-back): idempotent once cleared; fails while FAILED. */
  writeBack(
    taxNo: string,
    deviceNo: string,
    period: string,
    nowIso: string,
  ): { ok: boolean; view: ClearCardView } {
    const current = this.get(taxNo, deviceNo, period);
    if (current.status === 'CLEARED') return { ok: true, view: current };
    if (current.status === 'FAILED') return { ok: false, view: current };
    return { ok: true, view: this.set({ taxNo, deviceNo, period, status: 'CLEARED', clearedAt: nowIso }) };
  }

  clear(): void {
    this.states = new Map();
  }
}

function key(taxNo: string, deviceNo: string, period: string): string {
  return `${taxNo}|${deviceNo}|${period}`;
}
