import { createHash } from 'node:crypto';
import { FindingSeverity } from '@lib/contracts';
import { NotificationChannel } from '@lib/notifications';
import { MAINTENANCE_KINDS } from '../maintenance/maintenance-notice.model';
import { Language } from '../routing/routing.model';

/**
 * `sync_alert`: a delivery sync gave up on or a target refused; `dead_letters`: one window of DLQ arrivals;
 * `maintenance_*`: the notices of a maintenance window (docs/maintenance.md).
 */
export const NOTIFICATION_KINDS = [
  'alert',
  'escalation',
  'digest',
  'test',
  'sync_alert',
  'dead_letters',
  ...MAINTENANCE_KINDS,
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_STATUSES = [
  'pending_digest',
  'digested',
  'queued',
  'sending',
  'sent',
  'failed',
  'unknown',
  'cancelled',
] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** A notification to record (the consumer, the escalation and digest loops, the test-send endpoint). */
export interface NotificationDraft {
  dedupeKey: string;
  kind: NotificationKind;
  channel: NotificationChannel;
  recipientId: string | null;
  destination: string;
  language: Language;
  findingId: string | null;
  severity: FindingSeverity | null;
  level: number | null;
  status: 'queued' | 'pending_digest';
  dueAt: Date;
}

export interface NotificationRow {
  id: string;
  dedupe_key: string;
  message_ref: string;
  kind: NotificationKind;
  channel: NotificationChannel;
  recipient_id: string | null;
  destination: string;
  language: Language;
  finding_id: string | null;
  severity: FindingSeverity | null;
  level: number | null;
  status: NotificationStatus;
  due_at: Date;
  attempts: number;
  claims: number;
  digest_id: string | null;
  segments: number | null;
  provider: string | null;
  provider_message_id: string | null;
  provider_response: string | null;
  last_error_code: string | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
}

/** A row the sender claimed; `wasSending` means a previous claim expired mid-send (its outcome is unknown). */
export type ClaimedNotification = NotificationRow & { wasSending: boolean };

/**
 * The key that makes a notification happen once per person: a finding transition (its state and the
 * time reconcile changed it), a recipient and a channel. A redelivered or republished event maps to
 * the same key.
 */
export function alertKey(
  findingId: string,
  state: string,
  updatedAt: string,
  recipientId: string,
  channel: NotificationChannel,
): string {
  return `alert:${findingId}:${state}@${new Date(updatedAt).toISOString()}:${recipientId}:${channel}`;
}

export function escalationKey(
  findingId: string,
  level: number,
  recipientId: string,
  channel: NotificationChannel,
): string {
  return `escalation:${findingId}:L${level}:${recipientId}:${channel}`;
}

/** One per recipient, window and channel (an email digest keeps the key it had before robots existed). */
export function digestKey(
  recipientId: string,
  bucketStart: Date,
  channel: NotificationChannel = 'email',
): string {
  const key = `digest:${recipientId}:${bucketStart.toISOString()}`;
  return channel === 'email' ? key : `${key}:${channel}`;
}

/** One per sync problem (invoice, target, outcome, requestId: see problemIdOf), recipient and channel. */
export function syncAlertKey(problemId: string, recipientId: string, channel: NotificationChannel): string {
  return `sync:${problemId}:${recipientId}:${channel}`;
}

/** One per recipient, channel and window of dead-letter arrivals, however many arrived in it. */
export function deadLettersKey(recipientId: string, channel: NotificationChannel, windowStart: Date): string {
  return `dead-letters:${recipientId}:${channel}:${windowStart.toISOString()}`;
}

/** Stable reference derived from the key: the SMTP Message-ID's local part and the SMS OutId. */
export function messageRefOf(dedupeKey: string): string {
  return `n${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 31)}`;
}
