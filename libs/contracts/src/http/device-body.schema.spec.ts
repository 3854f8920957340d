import { EVENT_ID } from '../testing/contract.fixture';
import { parseBody } from '../validation/parse-body.validator';
import { registerDeviceBodySchema } from './admin-body.schema';
import { clearCardBodySchema, monitorBodySchema, reportBodySchema } from './device-body.schema';
import { findingActionSchema, reconciliationRequestSchema } from './reconcile-body.schema';
import { z } from 'zod';

const codes = <S extends z.ZodType>(schema: S, body: unknown) => {
  const result = parseBody(schema, body);
  return result.ok ? [] : result.errors.map((e) => `${e.code}@${e.field}`);
};

describe('device event bodies', () => {
  const clearCard = {
    eventId: EVENT_ID,
    period: '2025-02',
    status: 'succeeded',
    at: '2025-03-03T09:12:00+08:00',
  };
  const report = {
    eventId: EVENT_ID,
    period: '2025-02',
    totals: [
      { type: 'VAT_SPECIAL', count: 132, amount: '1203344.50', taxAmount: '156434.79' },
      { type: 'E_VAT_GENERAL', count: 2210, amount: '88321.00', taxAmount: '-1021.33' },
    ],
  };
  const monitor = {
    eventId: EVENT_ID,
    at: '2025-03-03T09:12:00+08:00',
    lockDate: '2025-04-20',
    offlineSince: null,
    offlineAmount: '0.00',
    offlineAmountLimit: '500000.00',
    offlineHoursLimit: 72,
  };

  it('accepts real-looking bodies and defaults absent error fields to null', () => {
    const parsed = parseBody(clearCardBodySchema, clearCard);
    expect(parsed).toEqual({ ok: true, value: { ...clearCard, errorCode: null, errorMessage: null } });
    expect(
      codes(clearCardBodySchema, {
        ...clearCard,
        status: 'failed',
        errorCode: '0x2A',
        errorMessage: '汇总未上传',
      }),
    ).toEqual([]);
    expect(codes(reportBodySchema, report)).toEqual([]);
    expect(codes(reportBodySchema, { ...report, totals: [] })).toEqual([]);
    expect(codes(monitorBodySchema, monitor)).toEqual([]);
    expect(codes(monitorBodySchema, { ...monitor, offlineSince: '2025-03-02T18:00:00+08:00' })).toEqual([]);
  });

  it.each([
    [clearCardBodySchema, { ...clearCard, period: '2025-2' }, 'INVALID_FORMAT@period'],
    [clearCardBodySchema, { ...clearCard, status: 'ok' }, 'INVALID_ENUM@status'],
    [clearCardBodySchema, { ...clearCard, at: undefined }, 'REQUIRED@at'],
    [
      reportBodySchema,
      { ...report, totals: [report.totals[0], report.totals[0]] },
      'DUPLICATE_VALUE@totals[1].type',
    ],
    [
      reportBodySchema,
      { ...report, totals: [{ ...report.totals[0], count: -1 }] },
      'TOO_SMALL@totals[0].count',
    ],
    [
      reportBodySchema,
      { ...report, totals: [{ ...report.totals[0], count: '132' }] },
      'INVALID_TYPE@totals[0].count',
    ],
    [
      reportBodySchema,
      { ...report, totals: [{ ...report.totals[0], amount: '1,203,344.50' }] },
      'MONEY_FORMAT@totals[0].amount',
    ],
    [monitorBodySchema, { ...monitor, lockDate: '2025-02-30' }, 'INVALID_FORMAT@lockDate'],
    [monitorBodySchema, { ...monitor, offlineHoursLimit: 72.5 }, 'INVALID_TYPE@offlineHoursLimit'],
    [monitorBodySchema, { ...monitor, offlineAmountLimit: 500000 }, 'INVALID_TYPE@offlineAmountLimit'],
    [monitorBodySchema, { ...monitor, offlineSince: 'yesterday' }, 'INVALID_FORMAT@offlineSince'],
  ] as const)('rejects %#: %s', (schema, body, expected) => {
    expect(codes(schema, body)).toEqual([expected]);
  });
});

describe('admin and reconciliation bodies', () => {
  it('registers a device for a USCC, a USCC with a wrong check digit, or a legacy id', () => {
    for (const taxNo of ['91350100M000100Y43', '91350100M000100Y44', '440301708461136']) {
      expect(
        codes(registerDeviceBodySchema, { taxNo, branchId: 'sz-qianhai', name: '前海门店 1 号税控盘' }),
      ).toEqual([]);
    }
    for (const deviceNo of ['661234567890', 'TCM-2026-a7', '9'.repeat(32), null]) {
      expect(
        codes(registerDeviceBodySchema, { taxNo: '91350100M000100Y43', branchId: 'b', name: 'n', deviceNo }),
      ).toEqual([]);
    }
  });

  it.each([
    [{ taxNo: '91350100M000100YO3', branchId: 'b', name: 'n' }, 'INVALID_TAX_NO@taxNo'],
    [{ taxNo: '91350100M000100Y43', branchId: '', name: 'n' }, 'TOO_SHORT@branchId'],
    [{ taxNo: '91350100M000100Y43', branchId: 'b'.repeat(65), name: 'n' }, 'TOO_LONG@branchId'],
    [{ taxNo: '91350100M000100Y43', branchId: 'b' }, 'REQUIRED@name'],
    [{ taxNo: '91350100M000100Y43', branchId: 'b', name: 'n', deviceNo: '' }, 'INVALID_DEVICE_NO@deviceNo'],
    [
      { taxNo: '91350100M000100Y43', branchId: 'b', name: 'n', deviceNo: 'ab_1' },
      'INVALID_DEVICE_NO@deviceNo',
    ],
    [{ taxNo: '91350100M000100Y43', branchId: 'b', name: 'n', deviceNo: 6612 }, 'INVALID_TYPE@deviceNo'],
  ])('rejects registration %#: %s', (body, expected) => {
    expect(codes(registerDeviceBodySchema, body)).toEqual([expected]);
  });

  it('validates reconciliation requests', () => {
    expect(codes(reconciliationRequestSchema, { taxNo: '91350100M000100Y43', period: '2025-02' })).toEqual(
      [],
    );
    expect(codes(reconciliationRequestSchema, { taxNo: 'x', period: '2025-13' }).sort()).toEqual([
      'INVALID_FORMAT@period',
      'INVALID_TAX_NO@taxNo',
    ]);
  });

  it('validates finding actions', () => {
    expect(codes(findingActionSchema, { action: 'resolve', reason: '已在百望补录' })).toEqual([]);
    expect(codes(findingActionSchema, { action: 'delete', reason: 'x' })).toEqual(['INVALID_ENUM@action']);
    expect(codes(findingActionSchema, { action: 'ignore', reason: '' })).toEqual(['TOO_SHORT@reason']);
    expect(codes(findingActionSchema, { action: 'retry' })).toEqual(['REQUIRED@reason']);
  });
});
