import { EntityManager } from 'typeorm';
import { enqueueOutbox, lockAllOutboxBuckets, lockOutboxKeys, OutboxMessage } from '@lib/messaging';

/** Rows per INSERT once the buckets are held: one giant statement costs more time and memory than several of this size. */
const CHUNK = 500;

/**
 * Messages written into the outbox by a statement of their own (built in SQL from the rows the transaction
 * wrote, instead of being read back, built and sent over again by Node), under keys known in advance.
 */
export interface SqlMessages {
  /**
   * The key of every message the statement writes: their buckets are locked with all the others first. `all`: too many
   * keys to list (every bucket is locked).
   */
  keys: readonly string[] | 'all';
  /** Writes the messages (the locks are held by then); returns how many it wrote. */
  write(m: EntityManager): Promise<number>;
}

/**
 * The messages one transaction will publish, in the order they were decided, written to the outbox at the
 * transaction's end (docs/messaging.md: enqueue once, as the last locking step).
 *
 * The locking happens once: the bucket locks of every key the transaction will write are taken first, in
 * ascending order, in one statement (`lockOutboxKeys`). The writes that follow carry only keys whose buckets the
 * transaction already holds (advisory locks are re-entrant), so they never wait and cannot take part in a
 * deadlock; they only keep each INSERT to a bounded size. A key's messages keep the order in which they were
 * added (the eager ones first, then the SQL-built ones), so a finding's events are published in transition order.
 */
export class PendingOutbox {
  private readonly messages: OutboxMessage[] = [];
  private readonly sql: SqlMessages[] = [];
  private flushed = false;

  add(messages: readonly OutboxMessage[]): void {
    this.open();
    for (const message of messages) this.messages.push(message);
  }

  addSql(messages: SqlMessages): void {
    this.open();
    this.sql.push(messages);
  }

  /** Enqueues everything collected; call once, as the transaction's last locking step (only the commit follows). */
  async flush(m: EntityManager): Promise<number> {
    this.open();
    this.flushed = true;
    if (this.sql.some((source) => source.keys === 'all')) {
      await lockAllOutboxBuckets(m);
    } else {
      const keys = new Set(this.messages.map((message) => message.key));
      for (const source of this.sql) for (const key of source.keys) keys.add(key);
      await lockOutboxKeys(m, [...keys]);
    }
    let written = 0;
    for (let i = 0; i < this.messages.length; i += CHUNK) {
      const chunk = this.messages.slice(i, i + CHUNK);
      await enqueueOutbox(m, chunk);
      written += chunk.length;
    }
    for (const source of this.sql) written += await source.write(m);
    return written;
  }

  private open(): void {
    if (this.flushed) throw new Error('PendingOutbox: already flushed; a second flush would need a second locking step');
  }
}
