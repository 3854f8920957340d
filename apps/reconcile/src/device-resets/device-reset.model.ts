import type { Actor } from '@lib/platform';

/** The steps of a reset, in the order they are performed (docs/device-operations.md, "Guided reset"). */
export const RESET_STEPS = ['backup', 'suspend', 'rekey', 'resync', 'verify', 'closed'] as const;
export type ResetStep = (typeof RESET_STEPS)[number];

/** A step as recorded: the steps above, and `cancelled` (the reset was given up). */
export type RecordedStep = ResetStep | 'cancelled';

export const RESET_MODES = ['rotate', 'replace'] as const;
/** `rotate`: the same device with a new secret; `replace`: a replacement device is registered, the old one retired. */
export type ResetMode = (typeof RESET_MODES)[number];

/**
 * Where a reset is: the step to perform next (`backup` … `verify`), `verified` (only closing is left), or ended
 * (`closed`, `cancelled`).
 */
export const RESET_STATES = [
  'backup',
  'suspend',
  'rekey',
  'resync',
  'verify',
  'verified',
  'closed',
  'cancelled',
] as const;
export type ResetState = (typeof RESET_STATES)[number];

export const ENDED_STATES: readonly ResetState[] = ['closed', 'cancelled'];

/** The step a reset in `state` performs next; null once it has ended. */
export function nextStepOf(state: ResetState): ResetStep | null {
  if (state === 'verified') return 'closed';
  if (state === 'closed' || state === 'cancelled') return null;
  return state;
}

/** The state a reset is in after `step` succeeded. */
export function stateAfter(step: ResetStep): ResetState {
  switch (step) {
    case 'backup':
      return 'suspend';
    case 'suspend':
      return 'rekey';
    case 'rekey':
      return 'resync';
    case 'resync':
      return 'verify';
    case 'verify':
      return 'verified';
    case 'closed':
      return 'closed';
  }
}

export interface DeviceResetRow {
  id: string;
  deviceId: string;
  deviceName: string;
  taxNo: string;
  branchId: string;
  mode: ResetMode;
  reason: string;
  state: ResetState;
  replacementDeviceId: string | null;
  replacementRequestedAt: Date | null;
  resyncFrom: Date | null;
  backupSha256: string | null;
  backupRows: number | null;
  backupPeriods: string[] | null;
  backupAt: Date | null;
  stepInProgress: string | null;
  stepStartedAt: Date | null;
  createdBy: Actor;
  createdAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
}

export interface ResetStepRecord {
  step: RecordedStep;
  outcome: 'succeeded' | 'failed';
  detail: Record<string, unknown>;
  actor: Actor;
  at: string;
}

/** A reset as the API shows it. */
export interface DeviceResetView {
  id: string;
  deviceId: string;
  deviceName: string;
  taxNo: string;
  branchId: string;
  mode: ResetMode;
  reason: string;
  state: ResetState;
  nextStep: ResetStep | null;
  replacementDeviceId: string | null;
  resyncFrom: string | null;
  backup: { sha256: string; rows: number; periods: string[]; at: string } | null;
  createdBy: Actor;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
  steps?: ResetStepRecord[];
}

export function toResetView(row: DeviceResetRow, steps?: ResetStepRecord[]): DeviceResetView {
  return {
    id: row.id,
    deviceId: row.deviceId,
    deviceName: row.deviceName,
    taxNo: row.taxNo,
    branchId: row.branchId,
    mode: row.mode,
    reason: row.reason,
    state: row.state,
    nextStep: nextStepOf(row.state),
    replacementDeviceId: row.replacementDeviceId,
    resyncFrom: row.resyncFrom?.toISOString() ?? null,
    backup:
      row.backupSha256 && row.backupAt
        ? {
            sha256: row.backupSha256,
            rows: row.backupRows ?? 0,
            periods: row.backupPeriods ?? [],
            at: row.backupAt.toISOString(),
          }
        : null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    ...(steps ? { steps } : {}),
  };
}

/** The name a replacement device is registered under. */
export function replacementNameOf(name: string): string {
  const suffix = ' (replacement)';
  return `${name.slice(0, 200 - suffix.length)}${suffix}`;
}
