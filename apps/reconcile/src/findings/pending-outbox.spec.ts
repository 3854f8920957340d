import { OutboxMessage } from '@lib/messaging';
import { PendingOutbox, splitFirstOfEachKey } from './pending-outbox';

const message = (key: string, n: number): OutboxMessage => ({ topic: 't', key, eventId: `${key}-${n}`, eventType: 'e', payload: '{}' });
const ids = (messages: OutboxMessage[]) => messages.map((m) => m.eventId);

/** A transaction manager that records the event ids of each outbox INSERT (and the bucket-lock statements). */
function recorder() {
  const inserts: string[][] = [];
  let locks = 0;
  const manager = {
    queryRunner: { isTransactionActive: true },
    query: async (sql: string, params: unknown[]) => {
      if (sql.includes('pg_advisory_xact_lock')) locks += 1;
      else inserts.push(params[2] as string[]);
      return [];
    },
  };
  return { manager: manager as never, inserts, locks: () => locks };
}

describe('PendingOutbox', () => {
  it('puts the first message of every key in the locking call and keeps each key in order', () => {
    const all = [message('a', 1), message('b', 1), message('a', 2), message('c', 1), message('b', 2), message('a', 3)];
    const [first, rest] = splitFirstOfEachKey(all);
    expect(ids(first)).toEqual(['a-1', 'b-1', 'c-1']);
    expect(ids(rest)).toEqual(['a-2', 'b-2', 'a-3']);
  });

  it('writes lazy pages after the locking call, which carries their first message', async () => {
    const { manager, inserts } = recorder();
    const outbox = new PendingOutbox();
    outbox.add([message('a', 1), message('a', 2)]);
    outbox.addLazy({
      key: 'tax',
      async *pages() {
        yield [message('tax', 1), message('tax', 2)];
        yield [message('tax', 3)];
      },
    });
    expect(await outbox.flush(manager)).toBe(5);
    expect(inserts).toEqual([['a-1', 'tax-1'], ['a-2'], ['tax-2'], ['tax-3']]);
  });

  it('enqueues once per transaction: a second flush, a message after it, or a lazy message of another key is a bug', async () => {
    const { manager } = recorder();
    const outbox = new PendingOutbox();
    outbox.add([message('a', 1)]);
    await outbox.flush(manager);
    await expect(outbox.flush(manager)).rejects.toThrow(/already flushed/);
    expect(() => outbox.add([message('b', 1)])).toThrow(/already flushed/);
    const wrong = new PendingOutbox();
    wrong.addLazy({
      key: 'tax',
      async *pages() {
        yield [message('tax', 1), message('other', 1)];
      },
    });
    await expect(wrong.flush(recorder().manager)).rejects.toThrow(/lazy message of key tax came with key other/);
  });
});
