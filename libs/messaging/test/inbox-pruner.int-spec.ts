import { randomUUID } from 'node:crypto';
import { pollUntil } from '@lib/testing';
import { InboxPruner } from '../src/inbox/inbox-pruner';
import { claimInbox, pruneInbox } from '../src/inbox/inbox-store';
import { MessagingHarness } from './harness';

jest.setTimeout(120_000);

describe('inbox pruner (real PostgreSQL)', () => {
  const h = new MessagingHarness();

  beforeAll(async () => {
    await h.start([]);
  });

  afterAll(async () => {
    await h.stop();
  });

  /** Inserts `count` inbox rows processed `ageDays` ago (fractions allowed), for the given group. */
  async function seed(count: number, ageDays: number, group = 'group-a'): Promise<void> {
    await h.dataSource.query(
      `INSERT INTO inbox (consumer_group, event_id, topic, kafka_partition, kafka_offset, processed_at)
       SELECT $1, gen_random_uuid(), 'orders', 0, n, now() - make_interval(secs => $2::float8 * 86400)
         FROM generate_series(1, $3) AS n`,
      [group, ageDays, count],
    );
  }

  const ages = async () =>
    (await h.dataSource.query(
      `SELECT (processed_at < now() - interval '7 days') AS old, count(*)::int AS n FROM inbox GROUP BY 1 ORDER BY 1`,
    )) as { old: boolean; n: number }[];

  const pruner = (batchSize: number, intervalMs = 3_600_000) =>
    new InboxPruner(h.dataSource, {
      enabled: true,
      retentionDays: 7,
      intervalMs,
      batchSize,
      batchPauseMs: 0,
    });

  afterEach(async () => {
    await h.dataSource.query('DELETE FROM inbox');
  });

  it('deletes rows older than the retention in bounded batches and keeps the recent ones', async () => {
    await seed(2_500, 30);
    await seed(40, 7.01, 'group-b'); // just past the retention
    await seed(300, 6.99); // just within it
    await seed(200, 0);

    expect(await pruneInbox(h.dataSource.manager, 7, 1_000)).toBe(1_000); // one statement, one batch, no more

    const run = await pruner(1_000).pruneOnce();
    expect(run.batches).toEqual([1_000, 540]);
    expect(run.deleted).toBe(1_540);
    expect(Math.max(...run.batches)).toBeLessThanOrEqual(1_000);
    expect(await ages()).toEqual([{ old: false, n: 500 }]);

    // Nothing left to do: one empty batch.
    expect((await pruner(1_000).pruneOnce()).batches).toEqual([0]);
  });

  it('lets several replicas prune at once without waiting for each other or deleting a row twice', async () => {
    await seed(6_000, 10);
    await seed(100, 1);
    const runs = await Promise.all([
      pruner(250).pruneOnce(),
      pruner(250).pruneOnce(),
      pruner(250).pruneOnce(),
    ]);
    expect(runs.reduce((sum, r) => sum + r.deleted, 0)).toBe(6_000);
    for (const run of runs) expect(Math.max(...run.batches)).toBeLessThanOrEqual(250);
    expect(await ages()).toEqual([{ old: false, n: 100 }]);
  });

  it('runs on its own schedule once started, and stops', async () => {
    await seed(700, 9);
    const recent = randomUUID();
    await h.dataSource.transaction((m) =>
      claimInbox(m, {
        consumerGroup: 'group-a',
        eventId: recent,
        topic: 'orders',
        partition: 0,
        offset: '1',
      }),
    );
    const scheduled = pruner(300, 1_000);
    scheduled.start();
    try {
      await pollUntil(ages, (rows) => rows.length === 1 && !rows[0].old, {
        timeoutMs: 90_000,
        what: 'old rows pruned',
      });
    } finally {
      await scheduled.stop();
    }
    expect(await ages()).toEqual([{ old: false, n: 1 }]);
  });

  it('is not started when disabled', async () => {
    await seed(10, 30);
    const disabled = new InboxPruner(h.dataSource, {
      enabled: false,
      retentionDays: 7,
      intervalMs: 1_000,
      batchSize: 5,
    });
    disabled.start();
    await new Promise((r) => setTimeout(r, 1_500));
    await disabled.stop();
    expect(await ages()).toEqual([{ old: true, n: 10 }]);
  });
});
