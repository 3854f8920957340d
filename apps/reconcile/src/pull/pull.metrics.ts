import { Injectable } from '@nestjs/common';
import { counter } from '@lib/observability';

/**
 * The pull's own Prometheus metric (served at /metrics with the runs' ones: runs/run.metrics.ts). Its instrument is
 * made with each instance; the helper hands back the one already registered under the name, so instances share it.
 */
@Injectable()
export class PullMetrics {
  private readonly channelFailures = counter(
    'reconcile_pull_channel_failures_total',
    'Pulls that left a channel (after retries or at once when unavailable)',
    ['channel'],
  );

  channelFailed(channel: string): void {
    this.channelFailures.inc({ channel });
  }
}
