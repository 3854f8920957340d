import { Injectable } from '@nestjs/common';
import { NOTIFICATION_CHANNELS, NotificationChannel } from '@lib/notifications';
import { counter, gauge, histogram } from '@lib/observability';
import { QueueStats } from './notification-queue.repository';

/**
 * The notifier's instruments, created with the instance and injected where they are counted. The helpers return the
 * metric already registered under a name, so a second instance (another app in the same test process) counts into the
 * same series on /metrics.
 */
@Injectable()
export class NotifierMetrics {
  private readonly sentTotal = counter(
    'notifier_notifications_sent_total',
    'Notifications sent, by channel and kind',
    ['channel', 'kind'],
  );
  private readonly failedTotal = counter(
    'notifier_notifications_failed_total',
    'Notifications that ended failed or unknown, by channel and code',
    ['channel', 'status', 'code'],
  );
  private readonly attempts = counter(
    'notifier_send_attempts_total',
    'Provider calls by channel and outcome',
    ['channel', 'outcome'],
  );
  private readonly recordedTotal = counter(
    'notifier_notifications_recorded_total',
    'Notifications recorded, by source',
    ['source'],
  );
  private readonly syncResults = counter(
    'notifier_sync_results_total',
    'sync.results.v1 events consumed, by outcome (dead and rejected ones alert)',
    ['outcome'],
  );
  private readonly syncSkipped = counter(
    'notifier_sync_alerts_skipped_total',
    'Dead or rejected sync results not announced, by reason (stale: older than NOTIFIER_SYNC_ALERT_MAX_AGE_MS)',
    ['reason'],
  );
  private readonly deadLetters = counter(
    'notifier_dead_letters_total',
    'Messages seen arriving in a dead-letter topic, by topic and error code',
    ['topic', 'code'],
  );
  private readonly latency = histogram(
    'notifier_delivery_latency_seconds',
    'Time from recording a notification to sending it',
    ['channel'],
    [0.1, 0.5, 1, 5, 30, 60, 300, 900, 3600, 14400, 43200, 86400],
  );
  private readonly queued = gauge(
    'notifier_queue_depth',
    'Notifications waiting (queued, sending or waiting for a digest), by channel',
    ['channel'],
  );
  private readonly due = gauge('notifier_queue_due', 'Notifications due now, by channel', ['channel']);
  private readonly age = gauge(
    'notifier_queue_oldest_due_age_seconds',
    'How long the oldest due notification has waited, by channel',
    ['channel'],
  );

  recorded(source: string, count: number): void {
    if (count > 0) this.recordedTotal.inc({ source }, count);
  }

  syncResult(outcome: string): void {
    this.syncResults.inc({ outcome });
  }

  syncAlertSkipped(reason: string): void {
    this.syncSkipped.inc({ reason });
  }

  deadLetter(topic: string, code: string): void {
    this.deadLetters.inc({ topic, code });
  }

  attempt(channel: NotificationChannel, outcome: string): void {
    this.attempts.inc({ channel, outcome });
  }

  sent(channel: NotificationChannel, kind: string, createdAt: Date, now: Date): void {
    this.sentTotal.inc({ channel, kind });
    this.latency.observe({ channel }, Math.max(0, now.getTime() - createdAt.getTime()) / 1000);
  }

  failed(channel: NotificationChannel, status: string, code: string): void {
    this.failedTotal.inc({ channel, status, code });
  }

  queue(stats: QueueStats[]): void {
    for (const channel of NOTIFICATION_CHANNELS) {
      const s = stats.find((x) => x.channel === channel);
      this.queued.set({ channel }, s?.queued ?? 0);
      this.due.set({ channel }, s?.due ?? 0);
      this.age.set({ channel }, s?.oldestDueAgeSeconds ?? 0);
    }
  }
}
