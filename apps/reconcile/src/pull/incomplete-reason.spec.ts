import { supportedFindingTypes } from './pull-coverage';
import { incompleteReason } from './incomplete-reason';

describe('incompleteReason', () => {
  it('says no MISSING_* was opened when the pull did not finish', () => {
    expect(incompleteReason({ complete: false, channel: 'authority', reason: 'authority: down', coverage: null, supports: [] })).toBe(
      'the authority pull did not finish, so no MISSING_* finding was opened: authority: down',
    );
  });

  it('says what a per-invoice pull evaluated, and that MISSING_IN_LEDGER was not', () => {
    const reason = incompleteReason({
      complete: false, channel: 'per-invoice', reason: 'authority: down; per-invoice: 2 of 2 ledger invoices checked', coverage: 'per-invoice',
      supports: supportedFindingTypes('per-invoice'), allChecked: true, checked: 2,
    });
    expect(reason).toBe(
      "the authority's list was unavailable, so each ledger invoice was checked one by one: MISSING_IN_AUTHORITY, AMOUNT_MISMATCH, STATUS_MISMATCH, CONTENT_MISMATCH " +
        'were evaluated for the invoices checked only, and MISSING_IN_LEDGER was not: authority: down; per-invoice: 2 of 2 ledger invoices checked',
    );
    expect(reason).not.toContain('no MISSING_*');
  });

  it('says no MISSING_* was opened when a per-invoice pull could check no invoice', () => {
    const pulled = { complete: false as const, channel: 'per-invoice', reason: 'per-invoice: 0 of 1 ledger invoices checked', coverage: 'per-invoice' as const };
    expect(incompleteReason({ ...pulled, supports: supportedFindingTypes('per-invoice'), allChecked: false, checked: 0 })).toBe(
      'the authority pull did not finish, so no MISSING_* finding was opened: per-invoice: 0 of 1 ledger invoices checked',
    );
  });
});
