import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CreateOutbox1763800000000, enqueueOutbox, OUTBOX_LOCK_BUCKETS } from '@lib/messaging';
import { createServiceDataSource, prepareSchema } from '@lib/persistence';
import { dropSchema, testDatabaseUrl, uniqueName } from '@lib/testing';
import { GATEWAY_MIGRATIONS } from '../src/persistence/migrations';
import { IdempotencyRepository } from '../src/ingest/idempotency.repository';
import { InvoiceClaim, InvoiceClaimsRepository } from '../src/ingest/invoice-claims.repository';

jest.setTimeout(30_000);

/** Advisory locks granted to this transaction's backend: lock-table entries, one per distinct lock. */
async function advisoryLocksHeld(m: EntityManager): Promise<number> {
  const [{ n }] = (await m.query(
    "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted",
  )) as { n: number }[];
  return n;
}

const keys = (n: number) => Array.from({ length: n }, (_, i) => `0440319001-${String(i).padStart(8, '0')}`);

/** The gateway's invoice-key locks: the outbox's bucket locks, bounded, and the same key still serialises. */
describe('invoice key locks (real PostgreSQL)', () => {
  const schema = uniqueName('gw_locks');
  const repository = new IdempotencyRepository();
  const claims = new InvoiceClaimsRepository();
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = createServiceDataSource({
      url: testDatabaseUrl(),
      schema,
      poolSize: 4,
      migrations: [CreateOutbox1763800000000, ...GATEWAY_MIGRATIONS],
    });
    await dataSource.initialize();
    await prepareSchema(dataSource, schema);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await dropSchema(schema);
  });

  it('holds at most one lock per outbox bucket for 1,000 keys, and the outbox writer only re-enters them', async () => {
    await dataSource.transaction(async (m) => {
      const batch = keys(1_000);
      await repository.lockInvoiceKeys(m, batch);
      const held = await advisoryLocksHeld(m);
      expect(held).toBeGreaterThan(0);
      expect(held).toBeLessThanOrEqual(OUTBOX_LOCK_BUCKETS);
      await enqueueOutbox(
        m,
        batch.map((key) => {
          const eventId = randomUUID();
          return { topic: 't', key, eventId, eventType: 'invoice.issued', payload: '{}' };
        }),
      );
      // Same class, same buckets: the outbox writer's locks are re-entries, not new lock-table entries.
      expect(await advisoryLocksHeld(m)).toBe(held);
    });
  });

  it('makes a second writer of the same key wait until the first commits', async () => {
    const [key] = keys(1);
    const first = dataSource.createQueryRunner();
    await first.connect();
    await first.startTransaction();
    try {
      await repository.lockInvoiceKeys(first.manager, [key, 'another-key']);
      let secondLocked = false;
      const second = dataSource.transaction(async (m) => {
        await repository.lockInvoiceKeys(m, [key]);
        secondLocked = true;
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(secondLocked).toBe(false);
      await first.commitTransaction();
      await second;
      expect(secondLocked).toBe(true);
    } finally {
      if (first.isTransactionActive) await first.rollbackTransaction();
      await first.release();
    }
  });

  it('shows a concurrent request’s new content for the key to whichever of the two locks second', async () => {
    const key = `0440319001-${Date.now() % 100_000_000}`;
    const claim = (content: string): InvoiceClaim => ({
      eventId: randomUUID(),
      eventType: 'invoice.issued',
      hash: createHash('sha256').update(content).digest(),
      invoiceKey: key,
      kind: 'issued',
    });
    const [first, second] = [claim('x'), claim('y')];
    // Both claim (no lock yet: different contents do not conflict), then the first locks and reads, then the second.
    const t1 = dataSource.createQueryRunner();
    await t1.connect();
    await t1.startTransaction();
    try {
      const c1 = await claims.claim(t1.manager, 'dev-1', new Date(), [first]);
      let secondKnown: Set<string> | undefined;
      let secondClaimed!: () => void;
      const claimedBySecond = new Promise<void>((resolve) => (secondClaimed = resolve));
      let firstLocked!: () => void;
      const lockedByFirst = new Promise<void>((resolve) => (firstLocked = resolve));
      const t2 = dataSource.transaction(async (m) => {
        const c2 = await claims.claim(m, 'dev-2', new Date(), [second]);
        secondClaimed();
        await lockedByFirst;
        await repository.lockInvoiceKeys(m, [key]);
        secondKnown = await claims.knownKeys(m, [second], c2.accepted);
      });
      await claimedBySecond;
      await repository.lockInvoiceKeys(t1.manager, [key]);
      firstLocked();
      // The second's content is not committed: the first sees no other content (no warning).
      expect(await claims.knownKeys(t1.manager, [first], c1.accepted)).toEqual(new Set());
      await new Promise((r) => setTimeout(r, 200));
      expect(secondKnown).toBeUndefined(); // waiting for the key's lock
      await t1.commitTransaction();
      await t2;
      // Once the first committed, the second sees its content: DUPLICATE_INVOICE_KEY for the second only.
      expect(secondKnown).toEqual(new Set([`${key}|issued`]));
    } finally {
      if (t1.isTransactionActive) await t1.rollbackTransaction();
      await t1.release();
    }
  });
});
