import { EntityManager } from 'typeorm';
import { enqueueOutbox, OutboxMessage } from '@lib/messaging';

/** Rows per INSERT once the buckets are held: one giant statement costs more time and memory than several of this size. */
const CHUNK = 500;

/**
 * Messages of one key produced page by page when the outbox is flushed (a run's thousands of finding events are
 * built from the findings as the transaction left them, instead of being held in memory until its end).
 */
export interface LazyMessages {
  /** The key of every message the pages produce. */
  key: string;
  pages(): AsyncIterable<OutboxMessage[]>;
}

/**
 * The messages one transaction will publish, in the order they were decided, written to the outbox at the
 * transaction's end (docs/messaging.md: enqueue once, as the last locking step).
 *
 * The locking happens once: the first `enqueueOutbox` call carries the first message of every distinct key, so
 * it takes every bucket lock the transaction needs, in ascending order, in one statement. The calls that follow
 * carry only keys whose buckets the transaction already holds (advisory locks are re-entrant), so they never
 * wait and cannot take part in a deadlock; they only keep each INSERT to a bounded size. A key's messages keep
 * the order in which they were added (its first message is in the first call, the rest follow in order; lazy
 * messages follow the eager ones of their key), so a finding's events are published in transition order.
 */
export class PendingOutbox {
  private readonly messages: OutboxMessage[] = [];
  private readonly lazy: LazyMessages[] = [];
  private flushed = false;

  add(messages: readonly OutboxMessage[]): void {
    this.open();
    for (const message of messages) this.messages.push(message);
  }

  addLazy(messages: LazyMessages): void {
    this.open();
    this.lazy.push(messages);
  }

  /** Enqueues everything collected; call once, as the transaction's last locking step (only the commit follows). */
  async flush(m: EntityManager): Promise<number> {
    this.open();
    this.flushed = true;
    const [locking, rest] = splitFirstOfEachKey(this.messages);
    const keys = new Set(this.messages.map((message) => message.key));
    const tails: { source: LazyMessages; pages: AsyncIterator<OutboxMessage[]>; head: OutboxMessage[] }[] = [];
    for (const source of this.lazy) {
      const pages = source.pages()[Symbol.asyncIterator]();
      let head: OutboxMessage[] = [];
      if (!keys.has(source.key)) {
        head = await firstPage(pages);
        if (head.length > 0) locking.push(ofKey(source.key, head[0]));
        head = head.slice(1);
        keys.add(source.key);
      }
      tails.push({ source, pages, head });
    }
    let written = locking.length;
    await enqueueOutbox(m, locking);
    written += await writeInChunks(m, rest);
    for (const tail of tails) {
      written += await writeInChunks(m, tail.head.map((message) => ofKey(tail.source.key, message)));
      for (let page = await tail.pages.next(); !page.done; page = await tail.pages.next()) {
        written += await writeInChunks(m, page.value.map((message) => ofKey(tail.source.key, message)));
      }
    }
    return written;
  }

  private open(): void {
    if (this.flushed) throw new Error('PendingOutbox: already flushed; a second flush would need a second locking step');
  }
}

/** The first message of each key (in order), and every other message (in order). */
export function splitFirstOfEachKey(messages: readonly OutboxMessage[]): [OutboxMessage[], OutboxMessage[]] {
  const seen = new Set<string>();
  const first: OutboxMessage[] = [];
  const rest: OutboxMessage[] = [];
  for (const message of messages) {
    if (seen.has(message.key)) {
      rest.push(message);
    } else {
      seen.add(message.key);
      first.push(message);
    }
  }
  return [first, rest];
}

async function firstPage(pages: AsyncIterator<OutboxMessage[]>): Promise<OutboxMessage[]> {
  for (let page = await pages.next(); !page.done; page = await pages.next()) if (page.value.length > 0) return page.value;
  return [];
}

async function writeInChunks(m: EntityManager, messages: OutboxMessage[]): Promise<number> {
  for (let i = 0; i < messages.length; i += CHUNK) await enqueueOutbox(m, messages.slice(i, i + CHUNK));
  return messages.length;
}

/** A lazy message under another key would take a bucket lock after the locking call. */
function ofKey(key: string, message: OutboxMessage): OutboxMessage {
  if (message.key !== key) throw new Error(`PendingOutbox: a lazy message of key ${key} came with key ${message.key}`);
  return message;
}
