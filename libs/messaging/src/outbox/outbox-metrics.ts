import { DataSource } from 'typeorm';
import { counter, gauge, histogram } from '@lib/observability';

const sources = new Map<string, DataSource>();

const published = counter('outbox_published_total', 'Outbox messages published to Kafka', ['relay']);
const parked = counter(
  'outbox_parked_total',
  'Outbox messages Kafka refused even alone and compressed, parked in outbox_parked and reported on the DLQ',
  ['relay', 'topic'],
);
const incomplete = counter(
  'outbox_incomplete_sends_total',
  'Outbox sends aborted because the producer resolved them without writing to every partition (sent again)',
  ['relay'],
);
const lag = histogram(
  'outbox_publish_lag_seconds',
  'Time from outbox write to Kafka commit',
  ['relay'],
  [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
);

gauge('outbox_depth', 'Rows waiting in the outbox', ['relay'], async function collect() {
  this.reset();
  for (const [relay, ds] of sources) {
    if (!ds.isInitialized) continue;
    const [row] = (await ds.query('SELECT count(*)::int AS n FROM outbox').catch(() => [{ n: -1 }])) as {
      n: number;
    }[];
    this.set({ relay }, row.n);
  }
});

gauge(
  'outbox_oldest_age_seconds',
  'Age of the oldest unpublished outbox row',
  ['relay'],
  async function collect() {
    this.reset();
    for (const [relay, ds] of sources) {
      if (!ds.isInitialized) continue;
      const [row] = (await ds
        .query('SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS age FROM outbox')
        .catch(() => [{ age: -1 }])) as { age: number }[];
      this.set({ relay }, row.age);
    }
  },
);

export const outboxMetrics = {
  register(dataSource: DataSource, relay: string): void {
    sources.set(relay, dataSource);
  },
  observePublished(relay: string, rows: { created_at: Date }[]): void {
    published.inc({ relay }, rows.length);
    const now = Date.now();
    for (const row of rows) lag.observe({ relay }, (now - new Date(row.created_at).getTime()) / 1000);
  },
  observeParked(relay: string, topic: string): void {
    parked.inc({ relay, topic });
  },
  observeIncompleteSend(relay: string): void {
    incomplete.inc({ relay });
  },
};
