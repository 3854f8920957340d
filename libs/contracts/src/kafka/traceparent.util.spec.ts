import { ALL_DLQ_TOPICS, ALL_TOPICS, dlqOf, isTopic, PARTITION_KEY_RULES, TOPICS } from './topics.constants';
import { DLQ_HEADERS, HEADER_EVENT_ID, HEADER_EVENT_TYPE, HEADER_TRACEPARENT } from './headers.constants';
import {
  childTraceparent,
  formatTraceparent,
  generateTraceparent,
  parseTraceparent,
} from './traceparent.util';

const SPEC_EXAMPLE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceparent (W3C Trace Context)', () => {
  it('parses the specification example', () => {
    expect(parseTraceparent(SPEC_EXAMPLE)).toEqual({
      version: '00',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      parentId: '00f067aa0ba902b7',
      flags: '01',
      sampled: true,
    });
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00')?.sampled).toBe(false);
  });

  it('accepts a future version with extra fields', () => {
    expect(
      parseTraceparent('cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds')
        ?.version,
    ).toBe('cc');
  });

  it.each([
    'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
    '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
    '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01',
    '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra',
    '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01',
    '',
    undefined,
    42,
  ])('rejects %p', (header) => {
    expect(parseTraceparent(header)).toBeNull();
  });

  it('generates valid, sampled traceparents by default', () => {
    const header = generateTraceparent();
    expect(parseTraceparent(header)).toMatchObject({ version: '00', sampled: true });
    expect(generateTraceparent()).not.toBe(header);
    expect(parseTraceparent(generateTraceparent({ sampled: false }))?.flags).toBe('00');
  });

  it('continues a trace with a new span id, or starts one when the parent is unusable', () => {
    const child = parseTraceparent(childTraceparent(SPEC_EXAMPLE));
    expect(child?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(child?.parentId).not.toBe('00f067aa0ba902b7');
    expect(parseTraceparent(childTraceparent('garbage'))?.traceId).not.toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
  });

  it('never emits an all-zero id, and refuses a broken random source', () => {
    let calls = 0;
    const random = (bytes: number) => (calls++ === 0 ? '0'.repeat(bytes * 2) : 'ab'.repeat(bytes));
    expect(generateTraceparent({ random })).toBe(`00-${'ab'.repeat(16)}-${'ab'.repeat(8)}-01`);
    expect(() => generateTraceparent({ random: () => 'xyz' })).toThrow(TypeError);
    expect(() => generateTraceparent({ random: (b) => '0'.repeat(b * 2) })).toThrow(/zeros/);
    expect(formatTraceparent({ traceId: 'a'.repeat(32), parentId: 'b'.repeat(16), sampled: false })).toBe(
      `00-${'a'.repeat(32)}-${'b'.repeat(16)}-00`,
    );
  });
});

describe('topics and headers', () => {
  it('names the five topics and their DLQs', () => {
    expect(ALL_TOPICS).toEqual([
      'invoice.events.v1',
      'device.events.v1',
      'sync.commands.v1',
      'sync.results.v1',
      'reconcile.findings.v1',
      'reconcile.maintenance.v1',
    ]);
    expect(dlqOf(TOPICS.invoiceEvents)).toBe('invoice.events.v1.dlq');
    expect(ALL_DLQ_TOPICS).toContain('reconcile.findings.v1.dlq');
    expect(isTopic('sync.results.v1')).toBe(true);
    expect(isTopic('sync.results.v1.dlq')).toBe(false);
  });

  it('documents a partition key per topic', () => {
    expect(PARTITION_KEY_RULES).toEqual({
      'invoice.events.v1': 'invoiceKey',
      'device.events.v1': 'deviceId',
      'sync.commands.v1': 'invoiceKey',
      'sync.results.v1': 'invoiceKey',
      'reconcile.findings.v1': 'taxNo',
      'reconcile.maintenance.v1': 'windowId',
    });
  });

  it('uses the agreed header names', () => {
    expect([HEADER_EVENT_ID, HEADER_EVENT_TYPE, HEADER_TRACEPARENT]).toEqual([
      'event-id',
      'event-type',
      'traceparent',
    ]);
    expect(Object.values(DLQ_HEADERS).every((h) => h.startsWith('dlq-'))).toBe(true);
  });
});
