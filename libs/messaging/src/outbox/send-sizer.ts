import { OutboxRow, toKafkaMessage } from './outbox-row';

/**
 * Room for what a record carries besides its key, value and header text (lengths, offset and timestamp deltas,
 * attributes; about 20 bytes plus 2 per header), rounded up.
 */
const RECORD_OVERHEAD_BYTES = 64;

/** Bytes a row's message takes in a record batch before compression: UTF-8 key, value and headers, plus framing. */
export function messageBytes(row: OutboxRow): number {
  const message = toKafkaMessage(row);
  let bytes = RECORD_OVERHEAD_BYTES + Buffer.byteLength(row.message_key) + Buffer.byteLength(row.payload);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(String(value));
  }
  return bytes;
}

/** The partition a row's message goes to (see PartitionLookup); the same value for every row counts per topic. */
export type PartitionOf = (row: OutboxRow) => number;

/**
 * Cuts rows (in id order) into consecutive sends in which the messages of each partition take at most `maxBytes`
 * before compression: a topic's max.message.bytes limits the record batch of one partition in one produce request,
 * after compression, so a send within this budget fits whatever gzip makes of it. A row larger than `maxBytes` goes
 * alone: compressed, it may still fit; if the broker refuses it, the relay parks it.
 *
 * Consecutive runs keep the id order across sends, hence the order per key.
 */
export function splitBySize(rows: OutboxRow[], maxBytes: number, partitionOf: PartitionOf): OutboxRow[][] {
  const sends: OutboxRow[][] = [];
  let current: OutboxRow[] = [];
  let bytesPerPartition = new Map<string, number>();
  const close = () => {
    if (current.length > 0) sends.push(current);
    current = [];
    bytesPerPartition = new Map();
  };
  for (const row of rows) {
    const bytes = messageBytes(row);
    if (bytes > maxBytes) {
      close();
      sends.push([row]);
      continue;
    }
    const partition = `${partitionOf(row)}:${row.topic}`;
    const partitionBytes = (bytesPerPartition.get(partition) ?? 0) + bytes;
    if (partitionBytes > maxBytes) {
      close();
      bytesPerPartition.set(partition, bytes);
    } else {
      bytesPerPartition.set(partition, partitionBytes);
    }
    current.push(row);
  }
  close();
  return sends;
}
