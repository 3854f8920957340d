import { heldTypesAt, incompleteHeldAt, invoiceHoldsAt, MaintenanceSpan, pausedMs } from './maintenance-hold.rules';

const at = (iso: string) => new Date(iso);
const span = (target: MaintenanceSpan['target'], start: string, end: string, hold: string): MaintenanceSpan => ({
  windowId: `w-${target}-${start}`,
  target,
  startsAt: at(start),
  endsAt: at(end),
  holdUntil: at(hold),
});

describe('maintenance holds', () => {
  const authority = span('authority', '2026-11-20T00:00:00Z', '2026-11-20T08:00:00Z', '2026-11-20T12:00:00Z');
  const product = span('product', '2026-11-20T06:00:00Z', '2026-11-20T10:00:00Z', '2026-11-20T14:00:00Z');
  const baiwang = span('baiwang', '2026-11-20T00:00:00Z', '2026-11-21T00:00:00Z', '2026-11-21T04:00:00Z');

  it('holds from the start until the end plus the grace, not before and not after', () => {
    expect(heldTypesAt([authority], at('2026-11-19T23:59:59Z'))).toEqual([]);
    expect(heldTypesAt([authority], at('2026-11-20T00:00:00Z'))).toEqual(['REPORT_MISSING', 'CLEAR_CARD_MISSING']);
    expect(heldTypesAt([authority], at('2026-11-20T11:59:59Z'))).toEqual(['REPORT_MISSING', 'CLEAR_CARD_MISSING']);
    expect(heldTypesAt([authority], at('2026-11-20T12:00:00Z'))).toEqual([]);
  });

  it('holds per target: ours every device-sent type, a platform none as a whole', () => {
    expect(heldTypesAt([product, baiwang], at('2026-11-20T07:00:00Z')).sort()).toEqual(
      ['CLEAR_CARD_MISSING', 'DEVICE_SILENT', 'MISSING_IN_LEDGER', 'REPORT_MISSING'],
    );
    expect(heldTypesAt([baiwang], at('2026-11-20T07:00:00Z'))).toEqual([]);
    expect(invoiceHoldsAt([baiwang, authority], at('2026-11-20T13:00:00Z'))).toEqual([
      { target: 'baiwang', startsAt: '2026-11-20T00:00:00.000Z' },
    ]);
  });

  it('stops the incompleteness clock for the authority and ours only, counting overlaps once', () => {
    expect(incompleteHeldAt([baiwang], at('2026-11-20T07:00:00Z'))).toBe(false);
    expect(incompleteHeldAt([authority], at('2026-11-20T11:00:00Z'))).toBe(true);
    // 00:00-10:00 covered by the authority's and our windows together; Baiwang's does not count
    expect(pausedMs([authority, product, baiwang], at('2026-11-19T20:00:00Z'), at('2026-11-20T20:00:00Z'))).toBe(10 * 3_600_000);
    expect(pausedMs([authority], at('2026-11-20T04:00:00Z'), at('2026-11-20T05:00:00Z'))).toBe(3_600_000);
    expect(pausedMs([authority], at('2026-11-21T00:00:00Z'), at('2026-11-21T05:00:00Z'))).toBe(0);
  });
});
