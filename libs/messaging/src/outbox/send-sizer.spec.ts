import { OutboxRow } from './outbox-row';
import { messageBytes, PartitionOf, splitBySize } from './send-sizer';

let nextId = 1;
/** A row of `topic` whose key names its partition ("p0", "p1"...). */
const row = (topic: string, partition: number, payloadBytes: number): OutboxRow => ({
  id: String(nextId++),
  topic,
  message_key: `p${partition}`,
  event_id: '00000000-0000-4000-8000-000000000000',
  event_type: 't',
  headers: { traceparent: 'x'.repeat(55) },
  payload: 'p'.repeat(payloadBytes),
  created_at: new Date(0),
});
const partitionOf: PartitionOf = (r) => Number(r.message_key.slice(1));
const ids = (sends: OutboxRow[][]) => sends.map((send) => send.map((r) => Number(r.id)));

describe('splitBySize', () => {
  beforeEach(() => (nextId = 1));

  it('counts UTF-8 bytes of key, value and every header the message will carry, plus framing', () => {
    const ascii = messageBytes(row('a', 0, 100));
    const chinese = messageBytes({ ...row('a', 0, 0), payload: '发'.repeat(100) });
    expect(chinese - ascii).toBe(200); // three bytes a character, not one
    expect(ascii).toBeGreaterThan(100 + 2 + 'traceparent'.length + 55 + 'event-id'.length + 36);
  });

  it('keeps rows in one send while each partition stays within the budget', () => {
    const rows = [row('a', 0, 100), row('b', 0, 100), row('a', 1, 100), row('a', 0, 100)];
    expect(ids(splitBySize(rows, 10_000, partitionOf))).toEqual([[1, 2, 3, 4]]);
  });

  it('starts a new send when a partition would go over the budget, keeping the id order', () => {
    const size = messageBytes(row('a', 0, 1_000));
    nextId = 1;
    // Two messages of a partition fit, three do not; other partitions, of the same topic or another, count apart.
    const rows = [
      row('a', 0, 1_000),
      row('a', 1, 1_000),
      row('b', 0, 1_000),
      row('a', 0, 1_000),
      row('a', 1, 1_000),
      row('b', 0, 1_000),
      row('a', 0, 1_000),
      row('a', 1, 1_000),
    ];
    expect(ids(splitBySize(rows, size * 2 + 10, partitionOf))).toEqual([
      [1, 2, 3, 4, 5, 6],
      [7, 8],
    ]);
  });

  it('counts a whole topic as one partition when told nothing of its partitions', () => {
    const size = messageBytes(row('a', 0, 1_000));
    nextId = 1;
    const rows = [row('a', 0, 1_000), row('a', 1, 1_000), row('a', 2, 1_000)];
    expect(ids(splitBySize(rows, size * 2 + 10, () => 0))).toEqual([[1, 2], [3]]);
  });

  it('sends a row over the budget alone, between the sends before and after it', () => {
    const rows = [row('a', 0, 10), row('a', 1, 10), row('b', 0, 50_000), row('a', 0, 10)];
    expect(ids(splitBySize(rows, 10_000, partitionOf))).toEqual([[1, 2], [3], [4]]);
  });

  it('returns no send for no rows', () => {
    expect(splitBySize([], 1_000, partitionOf)).toEqual([]);
  });
});
