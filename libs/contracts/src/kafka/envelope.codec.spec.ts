import { EVENT_ID, invoiceEventData, rawEnvelope, SELLER } from '../testing/contract.fixture';
import {
  buildEnvelope,
  ContractViolationException,
  parseEnvelope,
  partitionKeyOf,
  toKafkaMessage,
} from './envelope.codec';
import { EVENT_TYPES, eventTypesOf, topicOf } from './event.catalogue';
import { TOPICS } from './topics.constants';

const json = (value: unknown) => JSON.stringify(value);

describe('parseEnvelope', () => {
  it('reads a valid message from bytes, a string or an object, with defaults applied', () => {
    for (const raw of [Buffer.from(json(rawEnvelope())), json(rawEnvelope()), rawEnvelope()]) {
      const result = parseEnvelope(TOPICS.invoiceEvents, raw);
      expect(result.ok).toBe(true);
      if (result.ok) {
        expect(result.envelope.type).toBe('invoice.issued');
        expect(result.envelope.data.invoice.redReason).toBeNull();
      }
    }
  });

  it.each([
    ['bad JSON bytes', Buffer.from('{"id": '), 'BAD_JSON'],
    ['bad JSON string (as Nest hands it over)', 'not json at all', 'BAD_JSON'],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'BAD_JSON'],
    ['an empty message', null, 'BAD_JSON'],
    ['a JSON number', '42', 'SCHEMA_VIOLATION'],
    ['a missing id', { ...rawEnvelope(), id: undefined }, 'SCHEMA_VIOLATION'],
    ['a zone-less timestamp', rawEnvelope({ occurredAt: '2025-03-12T10:15:00' }), 'SCHEMA_VIOLATION'],
    ['missing data', { ...rawEnvelope(), data: undefined }, 'SCHEMA_VIOLATION'],
    ['bad data', rawEnvelope({ data: invoiceEventData({ deviceId: '' }) }), 'SCHEMA_VIOLATION'],
    ['an unknown type', rawEnvelope({ type: 'invoice.deleted' }), 'UNKNOWN_EVENT_TYPE'],
    ['a type of another topic', rawEnvelope({ type: 'device.monitor' }), 'UNKNOWN_EVENT_TYPE'],
    ['a newer version', rawEnvelope({ version: 2 }), 'UNKNOWN_EVENT_TYPE'],
  ])('never throws on %s: %s', (_, raw, code) => {
    const result = parseEnvelope(TOPICS.invoiceEvents, raw);
    expect(result).toMatchObject({ ok: false, error: { code } });
  });

  it('gives field paths into data and keeps id and type for the DLQ', () => {
    const result = parseEnvelope(
      TOPICS.invoiceEvents,
      rawEnvelope({ data: invoiceEventData({ invoiceKey: '044031900111-99999999' }) }),
    );
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'SCHEMA_VIOLATION',
        id: EVENT_ID,
        type: 'invoice.issued',
        details: [{ code: 'INVALID_VALUE', field: 'data.invoiceKey' }],
      },
    });
    const envelopeLevel = parseEnvelope(TOPICS.invoiceEvents, rawEnvelope({ version: 0 }));
    expect(envelopeLevel).toMatchObject({
      ok: false,
      error: { details: [{ code: 'TOO_SMALL', field: 'version' }] },
    });
  });
});

describe('buildEnvelope', () => {
  const options = {
    source: 'device-gateway',
    occurredAt: new Date('2025-03-12T02:15:00Z'),
    id: EVENT_ID,
    producedAt: new Date('2025-03-12T02:15:02.500Z'),
  };

  it('builds a versioned envelope that parses back to itself', () => {
    const envelope = buildEnvelope('invoice.issued', invoiceEventData() as never, options);
    expect(envelope).toMatchObject({
      id: EVENT_ID,
      type: 'invoice.issued',
      version: 1,
      occurredAt: '2025-03-12T02:15:00.000Z',
      source: 'device-gateway',
    });
    expect(parseEnvelope(TOPICS.invoiceEvents, JSON.stringify(envelope))).toEqual({ ok: true, envelope });
  });

  it('generates an id and a produced time when not given', () => {
    const envelope = buildEnvelope(
      'sync.reupload',
      {
        invoiceKey: '25442000000123456789',
        target: 'authority',
        reason: 'MISSING_IN_AUTHORITY',
        requestedBy: 'reconcile',
        attempt: 1,
      },
      { source: 'reconcile', occurredAt: '2025-03-14T09:00:00+08:00' },
    );
    expect(envelope.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(envelope.producedAt))).toBe(false);
    expect(envelope.data.findingId).toBeNull();
  });

  it('throws a ContractViolationException on data that breaks the contract', () => {
    expect(() =>
      buildEnvelope('invoice.issued', invoiceEventData({ taxNo: '91350100M000100Y43' }) as never, options),
    ).toThrow(ContractViolationException);
    expect(() => buildEnvelope('sync.result', { invoiceKey: 'nope' } as never, options)).toThrow(
      expect.objectContaining({
        code: 'SCHEMA_VIOLATION',
        retriable: false,
        details: expect.arrayContaining([expect.objectContaining({ field: 'data.invoiceKey' })]),
      }),
    );
    expect(() =>
      buildEnvelope('device.report', { deviceId: 'd' } as never, { ...options, source: '' }),
    ).toThrow(ContractViolationException);
  });
});

describe('Kafka message', () => {
  it('keys each topic by its partition rule and sets the standard headers', () => {
    const envelope = buildEnvelope('invoice.issued', invoiceEventData() as never, {
      source: 'device-gateway',
      occurredAt: new Date(),
    });
    const message = toKafkaMessage(envelope, '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(message.key).toBe('044031900111-12345678');
    expect(message.headers).toEqual({
      'event-id': envelope.id,
      'event-type': 'invoice.issued',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect(JSON.parse(message.value)).toEqual(envelope);
    expect(toKafkaMessage(envelope).headers).not.toHaveProperty('traceparent');
  });

  it('partitions device events by device and findings by taxpayer', () => {
    const monitor = buildEnvelope(
      'device.monitor',
      {
        deviceId: 'dev-0001',
        branchId: 'sz',
        taxNo: SELLER,
        receivedAt: '2025-03-03T09:12:01+08:00',
        at: '2025-03-03T09:12:00+08:00',
        lockDate: '2025-04-20',
        offlineSince: null,
        offlineAmount: '0.00',
        offlineAmountLimit: '500000.00',
        offlineHoursLimit: 72,
      },
      { source: 'device-gateway', occurredAt: '2025-03-03T09:12:00+08:00' },
    );
    expect(partitionKeyOf(monitor)).toBe('dev-0001');
    const finding = buildEnvelope(
      'reconcile.finding-changed',
      {
        findingId: 'f-1',
        type: 'CLEAR_CARD_OVERDUE',
        state: 'open',
        previousState: null,
        severity: 'critical',
        taxNo: SELLER,
        branchId: 'sz',
        period: '2025-02',
        deviceId: 'dev-0001',
        explanation: '清卡 not reported by the deadline 2025-03-17.',
        createdAt: '2025-03-18T00:05:00+08:00',
        updatedAt: '2025-03-18T00:05:00+08:00',
      },
      { source: 'reconcile', occurredAt: '2025-03-18T00:05:00+08:00' },
    );
    expect(partitionKeyOf(finding)).toBe(SELLER);
  });
});

describe('event catalogue', () => {
  it('maps every type to one topic', () => {
    expect(EVENT_TYPES).toHaveLength(11);
    expect(eventTypesOf(TOPICS.invoiceEvents)).toEqual([
      'invoice.issued',
      'invoice.red-issued',
      'invoice.voided',
    ]);
    expect(eventTypesOf(TOPICS.deviceEvents)).toEqual([
      'device.clear-card',
      'device.report',
      'device.monitor',
      'device.changed',
    ]);
    expect(topicOf('sync.result')).toBe('sync.results.v1');
    expect(topicOf('reconcile.finding-changed')).toBe('reconcile.findings.v1');
    expect(topicOf('maintenance.changed')).toBe('reconcile.maintenance.v1');
  });
});
