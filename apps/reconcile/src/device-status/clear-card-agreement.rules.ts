import { ClearCardState } from '@lib/providers';

/** The device's own latest report of the period's clear-card (device_clear_cards), or none. */
export interface DeviceClearCard {
  /** Whether an attempt ever succeeded for the period. */
  succeeded: boolean;
  /** The latest attempt's status, null when the device reported none. */
  lastStatus: 'succeeded' | 'failed' | null;
}

/**
 * How the device's view and the authority's compare:
 * - `agree`: both cleared, or neither did (the existing CLEAR_CARD_OVERDUE / CLEAR_CARD_FAILED rules apply);
 * - `DEVICE_ONLY`: the device says it cleared, the authority says NOT_CLEARED or FAILED: the device will
 *   lock at the deadline although the finance team believes it is done (the worst case: no finding today);
 * - `AUTHORITY_ONLY`: the authority says CLEARED, the device reported failure or nothing: the device's
 *   report is stale or lost; the device is not at risk, and an overdue/failed finding on it is misleading.
 */
export type ClearCardAgreement = 'agree' | 'DEVICE_ONLY' | 'AUTHORITY_ONLY';

export function clearCardAgreement(device: DeviceClearCard, authority: ClearCardState): ClearCardAgreement {
  const authorityCleared = authority === 'CLEARED';
  if (device.succeeded === authorityCleared) return 'agree';
  return device.succeeded ? 'DEVICE_ONLY' : 'AUTHORITY_ONLY';
}
