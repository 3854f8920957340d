import { FINDING_TYPES, FindingType } from '@lib/contracts';

/**
 * What the notifier alerts on besides reconcile's findings: a delivery sync gave up on (`SYNC_DEAD`), one a
 * target refused for good (`SYNC_REJECTED`), messages that landed in a dead-letter topic (`DEAD_LETTER`), and the
 * notices of maintenance windows (`MAINTENANCE`, docs/maintenance.md).
 * Routing rules name them like finding types.
 */
export const NOTIFIER_ALERT_TYPES = ['SYNC_DEAD', 'SYNC_REJECTED', 'DEAD_LETTER', 'MAINTENANCE'] as const;
export type NotifierAlertType = (typeof NOTIFIER_ALERT_TYPES)[number];

export const ALERT_TYPES = [...FINDING_TYPES, ...NOTIFIER_ALERT_TYPES] as const;
export type AlertType = FindingType | NotifierAlertType;
