import { decideLedgerChange, stateAfterRedReversal } from './ledger.rules';
import { LedgerInvoice } from './ledger.model';

const SELLER = '91440300MA5F8Q2K7X';
const invoice = (over: Partial<LedgerInvoice> = {}): LedgerInvoice => ({
  invoiceKey: '044031900111-12345678',
  taxNo: SELLER,
  colour: 'blue',
  state: 'issued',
  originalKey: null,
  contentHash: 'h1',
  version: 1,
  ...over,
});

describe('ledger rules', () => {
  it('creates a blue invoice on its issue and a red one (its own invoice) on a red issue', () => {
    expect(decideLedgerChange(undefined, { kind: 'issued', taxNo: SELLER }, 'h1')).toEqual({ action: 'create', colour: 'blue' });
    expect(decideLedgerChange(undefined, { kind: 'red-issued', taxNo: SELLER }, 'h2')).toEqual({ action: 'create', colour: 'red' });
  });

  it('parks a void for an invoice it has not seen, and voids a known one', () => {
    expect(decideLedgerChange(undefined, { kind: 'voided', taxNo: SELLER }, 'h1')).toEqual({ action: 'park' });
    expect(decideLedgerChange(invoice(), { kind: 'voided', taxNo: SELLER }, 'h1')).toEqual({ action: 'void' });
  });

  it.each([
    ['the same issue again under another event id', invoice(), 'issued', 'h1', 'DUPLICATE_ISSUE'],
    ['another invoice with the same key', invoice(), 'issued', 'h9', 'CONFLICTING_ISSUE'],
    ['a red issue for a key that is a blue invoice', invoice(), 'red-issued', 'h1', 'CONFLICTING_ISSUE'],
    ['a second void', invoice({ state: 'voided' }), 'voided', 'h1', 'ALREADY_VOIDED'],
    ['a void of a red-reversed invoice', invoice({ state: 'red_reversed' }), 'voided', 'h1', 'VOID_AFTER_RED_REVERSAL'],
  ] as const)('ignores %s', (_, existing, kind, hash, reason) => {
    expect(decideLedgerChange(existing, { kind, taxNo: SELLER }, hash)).toEqual({ action: 'ignore', reason });
  });

  it('ignores a void sent by another taxpayer than the issuer', () => {
    expect(decideLedgerChange(invoice(), { kind: 'voided', taxNo: '91310115MA1K4B9X3Y' }, 'h1')).toEqual({
      action: 'ignore',
      reason: 'TAXPAYER_MISMATCH',
    });
  });

  it('red-reverses the original once the reds add up to its total, in fen', () => {
    expect(stateAfterRedReversal(500000n, 0n, -500000n)).toEqual({ reversedFen: 500000n, fullyReversed: true });
    expect(stateAfterRedReversal(500000n, 0n, -100001n)).toEqual({ reversedFen: 100001n, fullyReversed: false });
    expect(stateAfterRedReversal(500000n, 100001n, -399999n)).toEqual({ reversedFen: 500000n, fullyReversed: true });
  });
});
