import { FINDING_TYPES } from '@lib/contracts';
import { resolutionFor } from './resolution';

const DEVICE = ['CLEAR_CARD_OVERDUE', 'CLEAR_CARD_FAILED', 'DEVICE_LOCK_IMMINENT', 'OFFLINE_LIMIT_NEAR', 'REPORT_MISSING', 'CLEAR_CARD_MISSING', 'DEVICE_SILENT'];
const sorted = (types: readonly string[]) => [...types].sort();
const RECEIVED = ['RECEIVED_INVOICE_INVALID', 'RECEIVED_INVOICE_VOIDED'];

describe('resolutionFor', () => {
  it('lets a listed pull resolve every type (current-period device readings only in the current period)', () => {
    expect(resolutionFor('listed', true, false)).toEqual({
      resolvableTypes: FINDING_TYPES.filter((t) => !RECEIVED.includes(t)),
      checkedSubjectTypes: [],
    });
    expect(resolutionFor('listed', false, true).resolvableTypes).not.toContain('DEVICE_LOCK_IMMINENT');
    expect(resolutionFor('listed', false, true).resolvableTypes).toContain('MISSING_IN_LEDGER');
  });

  it('lets an unfinished pull resolve device findings only', () => {
    expect(sorted(resolutionFor(null, true, true).resolvableTypes)).toEqual(sorted(DEVICE));
    expect(sorted(resolutionFor(null, false, true).resolvableTypes)).toEqual(
      sorted(['CLEAR_CARD_FAILED', 'CLEAR_CARD_OVERDUE', 'REPORT_MISSING', 'CLEAR_CARD_MISSING', 'DEVICE_SILENT']),
    );
  });

  it('never resolves what only a received invoice\'s check raises, whatever the pull proved', () => {
    for (const coverage of ['listed', 'per-invoice', null] as const)
      for (const t of RECEIVED) expect(resolutionFor(coverage, true, true).resolvableTypes).not.toContain(t);
  });

  it('resolves RECONCILIATION_INCOMPLETE only on a complete (listed) run', () => {
    expect(resolutionFor('listed', false, true).resolvableTypes).toContain('RECONCILIATION_INCOMPLETE');
    expect(resolutionFor(null, false, true).resolvableTypes).not.toContain('RECONCILIATION_INCOMPLETE');
    expect(resolutionFor('per-invoice', true, true).resolvableTypes).not.toContain('RECONCILIATION_INCOMPLETE');
  });

  it('keeps a per-invoice run to device findings while the merge cannot limit resolution to the checked subjects', () => {
    expect(resolutionFor('per-invoice', true, false)).toEqual(resolutionFor(null, true, false));
  });

  it('lets a per-invoice run resolve its supported types for the checked subjects only, never MISSING_IN_LEDGER', () => {
    const r = resolutionFor('per-invoice', true, true);
    expect(sorted(r.checkedSubjectTypes)).toEqual(['AMOUNT_MISMATCH', 'CONTENT_MISMATCH', 'MISSING_IN_AUTHORITY', 'STATUS_MISMATCH']);
    expect(sorted(r.resolvableTypes)).toEqual(sorted([...DEVICE, 'AMOUNT_MISMATCH', 'CONTENT_MISMATCH', 'MISSING_IN_AUTHORITY', 'STATUS_MISMATCH']));
    for (const t of ['MISSING_IN_LEDGER', 'DUPLICATE_INVOICE', 'REPORT_TOTALS_MISMATCH']) expect(r.resolvableTypes).not.toContain(t);
  });
});
