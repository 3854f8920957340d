import { OutboxMessage } from '@lib/messaging';
import { PendingOutbox } from './pending-outbox';

const message = (key: string, n: number): OutboxMessage => ({ topic: 't', key, eventId: `${key}-${n}`, eventType: 'e', payload: '{}' });

/** A transaction manager that records, in order, the keys of each bucket-lock statement and the event ids of each outbox INSERT. */
function recorder() {
  const calls: string[] = [];
  const manager = {
    queryRunner: { isTransactionActive: true },
    query: async (sql: string, params: unknown[]) => {
      if (sql.includes('generate_series') && sql.includes('pg_advisory_xact_lock')) calls.push('lock all');
      else if (sql.includes('pg_advisory_xact_lock')) calls.push(`lock ${(params[3] as string[]).join(',')}`);
      else calls.push(`insert ${(params[2] as string[]).join(',')}`);
      return [];
    },
  };
  return { manager: manager as never, calls };
}

describe('PendingOutbox', () => {
  it('locks every key once, first, then writes the eager messages in order and the SQL-built ones after them', async () => {
    const { manager, calls } = recorder();
    const outbox = new PendingOutbox();
    outbox.add([message('a', 1), message('b', 1), message('a', 2)]);
    outbox.addSql({
      keys: ['tax'],
      write: async () => {
        calls.push('sql tax');
        return 7;
      },
    });
    expect(await outbox.flush(manager)).toBe(10);
    // the first statement holds every bucket; the inserts' own lock statements only re-enter held buckets
    expect(calls).toEqual(['lock a,b,tax', 'lock a,b', 'insert a-1,b-1,a-2', 'sql tax']);
  });

  it('locks every bucket when a SQL source has too many keys to list', async () => {
    const { manager, calls } = recorder();
    const outbox = new PendingOutbox();
    outbox.add([message('a', 1)]);
    outbox.addSql({ keys: 'all', write: async () => 0 });
    await outbox.flush(manager);
    expect(calls[0]).toBe('lock all');
    expect(calls.slice(1)).toEqual(['lock a', 'insert a-1']);
  });

  it('keeps each INSERT bounded (500 messages)', async () => {
    const { manager, calls } = recorder();
    const outbox = new PendingOutbox();
    outbox.add(Array.from({ length: 1_001 }, (_, i) => message('k', i)));
    expect(await outbox.flush(manager)).toBe(1_001);
    expect(calls.filter((c) => c.startsWith('insert')).map((c) => c.split(',').length)).toEqual([500, 500, 1]);
  });

  it('enqueues once per transaction: a second flush or a message after it is a bug', async () => {
    const { manager } = recorder();
    const outbox = new PendingOutbox();
    outbox.add([message('a', 1)]);
    await outbox.flush(manager);
    await expect(outbox.flush(manager)).rejects.toThrow(/already flushed/);
    expect(() => outbox.add([message('b', 1)])).toThrow(/already flushed/);
    expect(() => outbox.addSql({ keys: [], write: async () => 0 })).toThrow(/already flushed/);
  });
});
