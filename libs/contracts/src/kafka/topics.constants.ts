export const TOPICS = {
  invoiceEvents: 'invoice.events.v1',
  deviceEvents: 'device.events.v1',
  syncCommands: 'sync.commands.v1',
  syncResults: 'sync.results.v1',
  reconcileFindings: 'reconcile.findings.v1',
  reconcileMaintenance: 'reconcile.maintenance.v1',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];
export type DlqTopic<T extends Topic = Topic> = `${T}.dlq`;

export const ALL_TOPICS: readonly Topic[] = Object.values(TOPICS);

/** Each topic's dead-letter companion: where a message that can never be processed goes, with the error. */
export function dlqOf<T extends Topic>(topic: T): DlqTopic<T> {
  return `${topic}.dlq`;
}

export const ALL_DLQ_TOPICS: readonly DlqTopic[] = ALL_TOPICS.map(dlqOf);

export function isTopic(value: unknown): value is Topic {
  return typeof value === 'string' && (ALL_TOPICS as readonly string[]).includes(value);
}

/**
 * The partition key of each topic, so that everything that must stay in order shares a partition:
 * - invoice.events.v1: the invoice key (`code-number` or the 数电 number): issue, red and void of one invoice in order;
 * - device.events.v1: the deviceId: a device's clear-card, report and monitor events in order;
 * - sync.commands.v1 and sync.results.v1: the invoice key: commands and outcomes of one invoice in order;
 * - reconcile.findings.v1: the taxNo: a taxpayer's findings in order (the notifier digests per taxpayer);
 * - reconcile.maintenance.v1: the window id: a maintenance window's announcement, changes and cancellation in order.
 * DLQ topics use the key of the message they carry.
 */
export const PARTITION_KEY_RULES: Readonly<Record<Topic, 'invoiceKey' | 'deviceId' | 'taxNo' | 'windowId'>> = {
  'invoice.events.v1': 'invoiceKey',
  'device.events.v1': 'deviceId',
  'sync.commands.v1': 'invoiceKey',
  'sync.results.v1': 'invoiceKey',
  'reconcile.findings.v1': 'taxNo',
  'reconcile.maintenance.v1': 'windowId',
};
