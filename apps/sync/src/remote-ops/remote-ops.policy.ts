import { createHash } from 'node:crypto';
import { REMOTE_OP_FAILURES, RemoteOpErrorCode } from '@lib/contracts';
import { FilingWindow, filingWindow, periodInFiling } from '@lib/domain';

/**
 * The filing window open at `now` (the domain's calendar, holiday-shifted deadlines included), or null between a
 * period's deadline and the end of the month.
 */
export function openFilingWindow(now: Date): FilingWindow | null {
  const period = periodInFiling(now);
  return period ? filingWindow(period) : null;
}

/** The longest pause between two transient failures of a job. */
export const REMOTE_OPS_BACKOFF_CAP_MS = 2 * 60 * 60 * 1000;

/** Pause after the `failuresInRow`-th transient failure in a row: initial, doubling, capped at 2 hours. */
export function remoteOpsBackoffMs(failuresInRow: number, initialMs: number): number {
  const exponent = Math.min(Math.max(0, failuresInRow - 1), 30);
  return Math.min(REMOTE_OPS_BACKOFF_CAP_MS, initialMs * 2 ** exponent);
}

export type RemoteOpStep = 'status' | 'report' | 'clear';

/** Key material shared by the ids below: one device, one period, one step, one claim of the job. */
export interface OutcomeKey {
  deviceId: string;
  period: string;
  step: RemoteOpStep;
  /** The job's claim number (attempts) whose run produced the outcome. */
  attempt: number;
}

function digest(parts: readonly (string | number)[]): string {
  return createHash('sha256').update(parts.join('|')).digest('hex');
}

/**
 * The envelope id of the event recording an outcome: derived from (device, period, step, outcome, attempt), so a
 * transaction that is replayed writes the same id and consumers' inboxes drop the second copy. Shaped as a version 5
 * style UUID (the contract asks for a UUID).
 */
export function remoteOpEventId(key: OutcomeKey, outcome: 'succeeded' | 'failed'): string {
  const hex = digest(['remote-op-event', key.deviceId, key.period, key.step, outcome, key.attempt]);
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Our request id at the platform for one call: the same for the same claim and step (a replay names the same call),
 * 32 characters of [A-Z0-9].
 */
export function remoteOpRequestId(key: OutcomeKey): string {
  return `RO${digest(['remote-op-request', key.deviceId, key.period, key.step, key.attempt]).slice(0, 30).toUpperCase()}`;
}

export function isRetriable(code: RemoteOpErrorCode): boolean {
  return REMOTE_OP_FAILURES[code].retriable;
}

export function failureClassOf(code: RemoteOpErrorCode): string {
  return REMOTE_OP_FAILURES[code].failureClass;
}
