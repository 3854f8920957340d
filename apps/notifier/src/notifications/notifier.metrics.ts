import { NOTIFICATION_CHANNELS, NotificationChannel } from '@lib/notifications';
import { counter, gauge, histogram } from '@lib/observability';
import { QueueStats } from './notification-queue.repository';

const sent = counter('notifier_notifications_sent_total', 'Notifications sent, by channel and kind', [
  'channel',
  'kind',
]);
const failed = counter(
  'notifier_notifications_failed_total',
  'Notifications that ended failed or unknown, by channel and code',
  ['channel', 'status', 'code'],
);
const attempts = counter('notifier_send_attempts_total', 'Provider calls by channel and outcome', [
  'channel',
  'outcome',
]);
const recorded = counter('notifier_notifications_recorded_total', 'Notifications recorded, by source', [
  'source',
]);
const syncResults = counter(
  'notifier_sync_results_total',
  'sync.results.v1 events consumed, by outcome (dead and rejected ones alert)',
  ['outcome'],
);
const syncSkipped = counter(
  'notifier_sync_alerts_skipped_total',
  'Dead or rejected sync results not announced, by reason (stale: older than NOTIFIER_SYNC_ALERT_MAX_AGE_MS)',
  ['reason'],
);
const deadLetters = counter(
  'notifier_dead_letters_total',
  'Messages seen arriving in a dead-letter topic, by topic and error code',
  ['topic', 'code'],
);
const latency = histogram(
  'notifier_delivery_latency_seconds',
  'Time from recording a notification to sending it',
  ['channel'],
  [0.1, 0.5, 1, 5, 30, 60, 300, 900, 3600, 14400, 43200, 86400],
);
const queued = gauge(
  'notifier_queue_depth',
  'Notifications waiting (queued, sending or waiting for a digest), by channel',
  ['channel'],
);
const due = gauge('notifier_queue_due', 'Notifications due now, by channel', ['channel']);
const age = gauge(
  'notifier_queue_oldest_due_age_seconds',
  'How long the oldest due notification has waited, by channel',
  ['channel'],
);

export const notifierMetrics = {
  recorded(source: string, count: number): void {
    if (count > 0) recorded.inc({ source }, count);
  },
  syncResult(outcome: string): void {
    syncResults.inc({ outcome });
  },
  syncAlertSkipped(reason: string): void {
    syncSkipped.inc({ reason });
  },
  deadLetter(topic: string, code: string): void {
    deadLetters.inc({ topic, code });
  },
  attempt(channel: NotificationChannel, outcome: string): void {
    attempts.inc({ channel, outcome });
  },
  sent(channel: NotificationChannel, kind: string, createdAt: Date, now: Date): void {
    sent.inc({ channel, kind });
    latency.observe({ channel }, Math.max(0, now.getTime() - createdAt.getTime()) / 1000);
  },
  failed(channel: NotificationChannel, status: string, code: string): void {
    failed.inc({ channel, status, code });
  },
  queue(stats: QueueStats[]): void {
    for (const channel of NOTIFICATION_CHANNELS) {
      const s = stats.find((x) => x.channel === channel);
      queued.set({ channel }, s?.queued ?? 0);
      due.set({ channel }, s?.due ?? 0);
      age.set({ channel }, s?.oldestDueAgeSeconds ?? 0);
    }
  },
};
