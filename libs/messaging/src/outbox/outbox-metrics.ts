import { DataSource } from 'typeorm';
import { counter, gauge, histogram } from '@lib/observability';

/**
 * The outboxes the depth and age gauges read when /metrics is scraped, by relay id. Process-wide like the registry
 * the gauges live in: a gauge keeps the collector it was first registered with, so every relay's outbox must be
 * found from that one collector.
 */
const relaySources = new Map<string, DataSource>();

/** Runs `read` against each registered outbox and sets the gauge per relay (-1 when the database did not answer). */
async function collectPerRelay(
  target: { reset(): void; set(labels: { relay: string }, value: number): void },
  read: (ds: DataSource) => Promise<number>,
): Promise<void> {
  target.reset();
  for (const [relay, ds] of relaySources) {
    if (!ds.isInitialized) continue;
    target.set({ relay }, await read(ds).catch(() => -1));
  }
}

/**
 * A relay's instruments, created with the instance. Each relay holds one (its own, or one it is given); the helpers
 * return the metric already registered under a name, so every instance in a process counts into the same series.
 */
export class OutboxMetrics {
  private readonly published = counter('outbox_published_total', 'Outbox messages published to Kafka', [
    'relay',
  ]);
  private readonly parked = counter(
    'outbox_parked_total',
    'Outbox messages Kafka refused even alone and compressed, parked in outbox_parked and reported on the DLQ',
    ['relay', 'topic'],
  );
  private readonly incomplete = counter(
    'outbox_incomplete_sends_total',
    'Outbox sends aborted because the producer resolved them without writing to every partition (sent again)',
    ['relay'],
  );
  private readonly lag = histogram(
    'outbox_publish_lag_seconds',
    'Time from outbox write to Kafka commit',
    ['relay'],
    [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  );

  constructor() {
    gauge('outbox_depth', 'Rows waiting in the outbox', ['relay'], async function collect() {
      await collectPerRelay(this, async (ds) => {
        const [row] = (await ds.query('SELECT count(*)::int AS n FROM outbox')) as { n: number }[];
        return row.n;
      });
    });
    gauge(
      'outbox_oldest_age_seconds',
      'Age of the oldest unpublished outbox row',
      ['relay'],
      async function collect() {
        await collectPerRelay(this, async (ds) => {
          const [row] = (await ds.query(
            'SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS age FROM outbox',
          )) as { age: number }[];
          return row.age;
        });
      },
    );
  }

  register(dataSource: DataSource, relay: string): void {
    relaySources.set(relay, dataSource);
  }

  observePublished(relay: string, rows: { created_at: Date }[]): void {
    this.published.inc({ relay }, rows.length);
    const now = Date.now();
    for (const row of rows) this.lag.observe({ relay }, (now - new Date(row.created_at).getTime()) / 1000);
  }

  observeParked(relay: string, topic: string): void {
    this.parked.inc({ relay, topic });
  }

  observeIncompleteSend(relay: string): void {
    this.incomplete.inc({ relay });
  }
}
