import { counter } from '@lib/observability';

const channelFailures = counter(
  'reconcile_pull_channel_failures_total',
  'Pulls that left a channel (after retries or at once when unavailable)',
  ['channel'],
);

/** The pull's own Prometheus metric (served at /metrics with the runs' ones). */
export const pullMetrics = {
  channelFailed(channel: string): void {
    channelFailures.inc({ channel });
  },
};
