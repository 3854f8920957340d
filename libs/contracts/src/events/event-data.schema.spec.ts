import { z } from 'zod';
import { invoiceEventData, SELLER } from '../testing/contract.fixture';
import { parseBody } from '../validation/parse-body.validator';
import {
  clearCardEventDataSchema,
  monitorEventDataSchema,
  reportEventDataSchema,
} from './device-events.schema';
import { findingChangedSchema } from './finding-events.schema';
import { invoiceEventDataSchema, invoiceEventTypeOf } from './invoice-events.schema';
import { reuploadCommandSchema, syncResultSchema } from './sync-events.schema';

const codes = <S extends z.ZodType>(schema: S, body: unknown) => {
  const result = parseBody(schema, body);
  return result.ok ? [] : result.errors.map((e) => `${e.code}@${e.field}`);
};

describe('invoice event data', () => {
  it('accepts a consistent event and names types by kind', () => {
    expect(codes(invoiceEventDataSchema, invoiceEventData())).toEqual([]);
    expect(invoiceEventTypeOf('red-issued')).toBe('invoice.red-issued');
  });

  it('insists the key and the taxNo match the invoice', () => {
    expect(codes(invoiceEventDataSchema, invoiceEventData({ invoiceKey: '044031900111-87654321' }))).toEqual([
      'INVALID_VALUE@invoiceKey',
    ]);
    expect(codes(invoiceEventDataSchema, invoiceEventData({ invoiceKey: '044031900111' }))).toEqual([
      'INVALID_FORMAT@invoiceKey',
      'INVALID_VALUE@invoiceKey',
    ]);
    expect(codes(invoiceEventDataSchema, invoiceEventData({ taxNo: '91350100M000100Y43' }))).toEqual([
      'INVALID_VALUE@taxNo',
    ]);
  });
});

describe('device event data', () => {
  const origin = {
    deviceId: 'dev-0001',
    branchId: 'sz-qianhai',
    taxNo: SELLER,
    receivedAt: '2025-03-03T09:12:01+08:00',
  };
  const monitor = {
    ...origin,
    at: '2025-03-03T09:12:00+08:00',
    lockDate: '2025-03-15',
    offlineAmount: '0.00',
    offlineAmountLimit: '500000.00',
    offlineHoursLimit: 72,
  };

  it('is the HTTP body without eventId plus its origin', () => {
    const data = {
      ...origin,
      period: '2025-02',
      status: 'failed',
      at: '2025-03-03T09:12:00+08:00',
      errorCode: '0x2A',
      errorMessage: '汇总未上传',
    };
    expect(codes(clearCardEventDataSchema, data)).toEqual([]);
    expect(codes(clearCardEventDataSchema, { ...data, deviceId: undefined })).toEqual(['REQUIRED@deviceId']);
    expect(codes(reportEventDataSchema, { ...origin, period: '2025-02', totals: [] })).toEqual([]);
  });

  it('carries the device number (机器编号) when registered, null when not, and still reads events without it', () => {
    const data = { ...origin, period: '2025-02', status: 'succeeded', at: '2025-03-03T09:12:00+08:00' };
    const parsed = (body: object) => clearCardEventDataSchema.parse(body).deviceNo;
    expect(parsed({ ...data, deviceNo: '661234567890' })).toBe('661234567890');
    expect(parsed({ ...data, deviceNo: null })).toBeNull();
    // an event of an older gateway: valid, and says nothing about the number
    expect(parsed(data)).toBeUndefined();
    expect(codes(monitorEventDataSchema, { ...monitor, deviceNo: 'TCM-01' })).toEqual([]);
    expect(
      codes(reportEventDataSchema, { ...origin, period: '2025-02', totals: [], deviceNo: '6612 3456' }),
    ).toEqual(['INVALID_DEVICE_NO@deviceNo']);
    expect(codes(clearCardEventDataSchema, { ...data, deviceNo: 'x'.repeat(33) })).toEqual([
      'INVALID_DEVICE_NO@deviceNo',
    ]);
  });

  it('carries the device name when the gateway knows one, and still reads events without it', () => {
    const data = { ...origin, period: '2025-02', status: 'succeeded', at: '2025-03-03T09:12:00+08:00' };
    const parsed = (body: object) => clearCardEventDataSchema.parse(body).deviceName;
    expect(parsed({ ...data, deviceName: '前台1号盘' })).toBe('前台1号盘');
    expect(parsed({ ...data, deviceName: null })).toBeNull();
    expect(parsed(data)).toBeUndefined();
    expect(codes(monitorEventDataSchema, { ...monitor, deviceName: '财'.repeat(100) })).toEqual([]);
    expect(
      codes(reportEventDataSchema, { ...origin, period: '2025-02', totals: [], deviceName: 'x'.repeat(101) }),
    ).toHaveLength(1);
  });
});

describe('sync messages', () => {
  const result = {
    invoiceKey: '044031900111-12345678',
    taxNo: SELLER,
    target: 'baiwang',
    outcome: 'accepted',
    requestId: 'IS-20250312-000123',
    attempts: 2,
    targetRecordId: 'BW-88120031',
    at: '2025-03-12T10:16:00+08:00',
  };

  it('accepts outcomes and requires an error code for rejected and dead ones', () => {
    expect(codes(syncResultSchema, result)).toEqual([]);
    expect(codes(syncResultSchema, { ...result, outcome: 'relayed', relayedVia: 'nuonuo' })).toEqual([]);
    expect(codes(syncResultSchema, { ...result, outcome: 'rejected' })).toEqual(['REQUIRED@errorCode']);
    expect(codes(syncResultSchema, { ...result, outcome: 'dead', errorCode: 'E9500' })).toEqual([]);
    expect(codes(syncResultSchema, { ...result, outcome: 'lost' })).toEqual(['INVALID_ENUM@outcome']);
    expect(codes(syncResultSchema, { ...result, attempts: 0 })).toEqual(['TOO_SMALL@attempts']);
  });

  it('validates re-upload commands', () => {
    const command = {
      invoiceKey: '25442000000123456789',
      target: 'authority',
      reason: 'MISSING_IN_AUTHORITY',
      requestedBy: 'reconcile',
      attempt: 1,
    };
    expect(codes(reuploadCommandSchema, command)).toEqual([]);
    expect(codes(reuploadCommandSchema, { ...command, target: 'aisino' })).toEqual(['INVALID_ENUM@target']);
    expect(codes(reuploadCommandSchema, { ...command, invoiceKey: '2544200000012345678' })).toEqual([
      'INVALID_FORMAT@invoiceKey',
    ]);
  });
});

describe('finding transitions', () => {
  const finding = {
    findingId: 'f-20250318-0001',
    type: 'MISSING_IN_AUTHORITY',
    state: 'remediating',
    previousState: 'open',
    severity: 'warning',
    taxNo: SELLER,
    branchId: 'sz-qianhai',
    period: '2025-02',
    invoice: { type: 'E_VAT_GENERAL', code: '044031900111', number: '12345678' },
    explanation: 'Not in the authority records 2 days after upload; re-upload requested.',
    evidence: { uploadedAt: '2025-02-12T10:16:00+08:00', authorityPull: 'complete' },
    createdAt: '2025-03-14T09:00:00+08:00',
    updatedAt: '2025-03-14T09:00:05+08:00',
  };

  it('accepts a transition about an invoice or a device', () => {
    expect(codes(findingChangedSchema, finding)).toEqual([]);
    expect(
      codes(findingChangedSchema, {
        ...finding,
        type: 'DEVICE_LOCK_IMMINENT',
        invoice: null,
        deviceId: 'dev-0001',
        previousState: null,
        state: 'open',
      }),
    ).toEqual([]);
  });

  it.each([
    [{ invoice: null }, 'REQUIRED@invoice'],
    [{ previousState: 'remediating' }, 'INVALID_VALUE@previousState'],
    [{ type: 'LOST' }, 'INVALID_ENUM@type'],
    [{ state: 'closed' }, 'INVALID_ENUM@state'],
    [{ severity: 'high' }, 'INVALID_ENUM@severity'],
    [{ period: '2025-2' }, 'INVALID_FORMAT@period'],
    [{ explanation: '' }, 'TOO_SHORT@explanation'],
  ])('rejects %j: %s', (patch, expected) => {
    expect(codes(findingChangedSchema, { ...finding, ...patch })).toEqual([expected]);
  });
});
