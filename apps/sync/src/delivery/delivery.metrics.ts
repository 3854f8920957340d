import { Injectable } from '@nestjs/common';
import { counter, gauge, histogram } from '@lib/observability';
import { TargetName } from '@lib/providers';

export interface BacklogStats {
  target: TargetName;
  open: number;
  due: number;
  waiting: number;
  oldestDueAgeSeconds: number;
}

/** Deliveries on /metrics. The helpers answer the metric already registered under a name, so instances share them. */
@Injectable()
export class DeliveryMetrics {
  private readonly attempts = counter(
    'sync_delivery_attempts_total',
    'Calls to targets by target, action and outcome',
    ['target', 'action', 'outcome'],
  );
  private readonly finishedCount = counter(
    'sync_deliveries_finished_total',
    'Deliveries that reached a final state',
    ['target', 'status'],
  );
  private readonly latency = histogram(
    'sync_delivery_latency_seconds',
    'Time from a delivery being created to its final state',
    ['target', 'status'],
    [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400],
  );
  private readonly open = gauge(
    'sync_deliveries_backlog',
    'Open deliveries (pending or sending) per target',
    ['target'],
  );
  private readonly due = gauge('sync_deliveries_due', 'Deliveries due now per target', ['target']);
  private readonly waiting = gauge(
    'sync_deliveries_waiting',
    'Deliveries waiting for their predecessor or a relay, per target',
    ['target'],
  );
  private readonly oldestDue = gauge(
    'sync_deliveries_oldest_due_age_seconds',
    'How long the oldest due delivery has been due, per target',
    ['target'],
  );

  call(target: TargetName, action: string, outcome: string): void {
    this.attempts.inc({ target, action, outcome });
  }

  finished(target: TargetName, status: string, createdAt: Date, now: Date): void {
    this.finishedCount.inc({ target, status });
    this.latency.observe({ target, status }, Math.max(0, now.getTime() - createdAt.getTime()) / 1000);
  }

  backlog(stats: BacklogStats[]): void {
    for (const s of stats) {
      this.open.set({ target: s.target }, s.open);
      this.due.set({ target: s.target }, s.due);
      this.waiting.set({ target: s.target }, s.waiting);
      this.oldestDue.set({ target: s.target }, s.oldestDueAgeSeconds);
    }
  }
}
