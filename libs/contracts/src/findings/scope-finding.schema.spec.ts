import { findingChangedSchema, SCOPE_FINDING_TYPES } from '../events/finding-events.schema';

/** A finding about a taxpayer's whole period (RECONCILIATION_INCOMPLETE) names no invoice, device or branch; others must. */
describe('findingChangedSchema and scope findings', () => {
  const scope = {
    findingId: '8a0d7c1e-3a51-4c0b-9d8e-0b9c1c2d3e4f',
    type: 'RECONCILIATION_INCOMPLETE',
    state: 'open',
    previousState: null,
    severity: 'critical',
    taxNo: '91440300MA5XXXXX1A',
    branchId: null,
    period: '2026-10',
    explanation: '纳税人（税号 91440300MA5XXXXX1A）2026年10月的对账自11月19日起未能完成。',
    evidence: { causes: ['AUTHORITY_UNAVAILABLE'] },
    createdAt: '2026-11-20T02:00:00Z',
    updatedAt: '2026-11-20T02:00:00Z',
  };
  const issues = (value: unknown) => {
    const parsed = findingChangedSchema.safeParse(value);
    return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
  };

  it('accepts RECONCILIATION_INCOMPLETE without invoice, device or branch', () => {
    expect(SCOPE_FINDING_TYPES).toEqual(['RECONCILIATION_INCOMPLETE']);
    expect(issues(scope)).toEqual([]);
  });

  it('rejects a scope finding that names a device, an invoice or a branch', () => {
    expect(issues({ ...scope, deviceId: 'dev-1' })).toEqual(['type']);
    expect(issues({ ...scope, branchId: 'SZ01' })).toEqual(['type']);
    expect(
      issues({ ...scope, invoice: { type: 'DIGITAL_GENERAL', code: null, number: '26442000000000000001' } }),
    ).toEqual(['type']);
  });

  it('still requires an invoice or a device of the other types, the new device ones included', () => {
    for (const type of ['DEVICE_SILENT', 'REPORT_MISSING', 'CLEAR_CARD_MISSING', 'CLEAR_CARD_OVERDUE']) {
      expect(issues({ ...scope, type })).toEqual(['invoice']);
      expect(issues({ ...scope, type, deviceId: 'dev-1', branchId: 'SZ01' })).toEqual([]);
    }
  });
});
