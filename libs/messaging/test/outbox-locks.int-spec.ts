import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { enqueueOutbox, OUTBOX_LOCK_BUCKETS } from '../src/outbox/outbox-writer';
import { OutboxMessage } from '../src/outbox/outbox-message';
import { MessagingHarness } from './harness';

jest.setTimeout(180_000);

const TRANSACTIONS = 8;

function messages(keys: string[]): OutboxMessage[] {
  return keys.map((key) => ({ topic: 'orders', key, eventId: randomUUID(), eventType: 't', payload: '{}' }));
}

async function advisoryLocksHeld(m: EntityManager): Promise<number> {
  const [{ n }] = (await m.query(
    "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted",
  )) as { n: number }[];
  return n;
}

/** Resolves once `parties` callers arrived, or after `maxWaitMs` (so that writers that serialise cannot hang it). */
function barrier(parties: number, maxWaitMs: number): () => Promise<void> {
  let arrived = 0;
  const waiters: (() => void)[] = [];
  return () => {
    arrived++;
    if (arrived >= parties) {
      waiters.splice(0).forEach((wake) => wake());
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, maxWaitMs);
    });
  };
}

describe('outbox writer locks (real PostgreSQL)', () => {
  const h = new MessagingHarness();

  beforeAll(async () => {
    await h.start([]);
  });

  afterAll(async () => {
    await h.stop();
  });

  const outboxRows = async () =>
    ((await h.dataSource.query('SELECT count(*)::int AS n FROM outbox')) as { n: number }[])[0].n;

  it('concurrent transactions with thousands of distinct keys each fit in the shared lock table', async () => {
    // The shared lock table holds about max_locks_per_transaction × (every backend slot) entries: size the load
    // so that one lock per key could never fit, whatever this server's settings.
    const settings = (await h.dataSource.query(
      `SELECT name, setting::int AS value FROM pg_settings
        WHERE name IN ('max_locks_per_transaction', 'max_connections', 'max_prepared_transactions',
                       'autovacuum_max_workers', 'max_worker_processes', 'max_wal_senders')`,
    )) as { name: string; value: number }[];
    const s = Object.fromEntries(settings.map((r) => [r.name, r.value]));
    const slots =
      s.max_connections +
      s.max_prepared_transactions +
      s.autovacuum_max_workers +
      s.max_worker_processes +
      s.max_wal_senders +
      1;
    const lockTable = s.max_locks_per_transaction * slots;
    const keysPerTransaction = Math.max(2_000, Math.ceil((2 * lockTable) / TRANSACTIONS));
    expect(TRANSACTIONS * keysPerTransaction).toBeGreaterThan(2 * lockTable);

    const arrive = barrier(TRANSACTIONS, 500);
    const held: number[] = [];
    const outcomes = await Promise.allSettled(
      Array.from({ length: TRANSACTIONS }, (_, t) =>
        h.dataSource.transaction(async (m) => {
          const keys = Array.from({ length: keysPerTransaction }, (_, i) => `txn-${t}-key-${i}`);
          await enqueueOutbox(m, messages(keys));
          held.push(await advisoryLocksHeld(m));
          await arrive(); // hold the locks while the others take theirs
        }),
      ),
    );
    const errors = outcomes
      .filter((o) => o.status === 'rejected')
      .map((o) => String((o as PromiseRejectedResult).reason));
    expect(errors).toEqual([]);
    expect(Math.max(...held)).toBeLessThanOrEqual(OUTBOX_LOCK_BUCKETS);
    expect(await outboxRows()).toBe(TRANSACTIONS * keysPerTransaction);
    await h.dataSource.query('DELETE FROM outbox');
  });

  it('a second writer of the same key waits for the first to commit, so ids follow commit order', async () => {
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstEnqueued!: () => void;
    const firstHasLocks = new Promise<void>((resolve) => (firstEnqueued = resolve));
    const [a, b] = messages(['same-key', 'same-key']);
    let firstCommitted = false;

    const first = h.dataSource.transaction(async (m) => {
      await enqueueOutbox(m, [a]);
      firstEnqueued();
      await firstMayCommit;
    });
    await firstHasLocks;
    let secondEnqueuedWhileFirstOpen: boolean | undefined;
    const second = h.dataSource.transaction(async (m) => {
      await enqueueOutbox(m, [b]);
      secondEnqueuedWhileFirstOpen = !firstCommitted;
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(secondEnqueuedWhileFirstOpen).toBeUndefined(); // still waiting for the lock
    firstCommitted = true;
    releaseFirst();
    await first;
    await second;
    expect(secondEnqueuedWhileFirstOpen).toBe(false);
    const rows = (await h.dataSource.query(
      "SELECT event_id::text AS event_id FROM outbox WHERE message_key = 'same-key' ORDER BY id",
    )) as { event_id: string }[];
    expect(rows.map((r) => r.event_id)).toEqual([a.eventId, b.eventId]);
    await h.dataSource.query('DELETE FROM outbox');
  });

  it('concurrent writers of overlapping key sets never deadlock', async () => {
    const pool = Array.from({ length: 300 }, (_, i) => `k-${i}`);
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const plans = Array.from({ length: 16 }, () =>
      Array.from({ length: 15 }, () =>
        Array.from({ length: 1 + Math.floor(random() * 60) }, () => pool[Math.floor(random() * pool.length)]),
      ),
    );
    let written = 0;
    await Promise.all(
      plans.map(async (transactions) => {
        for (const keys of transactions) {
          // Keys in any order, repeated or not: the writer sorts what it locks.
          await h.dataSource.transaction(async (m) => {
            await enqueueOutbox(m, messages(keys));
            await new Promise((r) => setTimeout(r, 2));
          });
          written += keys.length;
        }
      }),
    );
    expect(await outboxRows()).toBe(written);
  });
});
