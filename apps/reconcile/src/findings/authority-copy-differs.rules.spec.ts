import { decide } from './finding-decision.rules';
import { DecisionContext, Discrepancy, FindingRow } from './finding.model';
import { findingRow } from '../../test/support/finding-row';

const NOW = new Date('2026-11-20T02:00:00Z');
const ctx: DecisionContext = { now: NOW, visibilityLagMs: 86_400_000, maxReuploads: 3 };
const KEY = '25442000000000000009';
const differs: Discrepancy = {
  type: 'AMOUNT_MISMATCH',
  subject: KEY,
  invoiceKey: KEY,
  deviceId: null,
  facts: {
    checkOutcome: 'differs',
    channel: 'authority-verify',
    checkedAt: '2026-11-19T03:00:00Z',
    authority: null,
    ledger: { totalAmount: '113.00' },
  },
};
const numbers: Discrepancy = {
  ...differs,
  facts: { ledger: { totalAmount: '113.00' }, authority: { totalAmount: '113.01' } },
};
const finding = (state: FindingRow['state']): FindingRow => findingRow(KEY, NOW, { state });
const sentence = (done: string) =>
  `Invoice ${KEY} differs from the authority's copy (查验 through authority-verify answered 03 on 19 Nov: type, date or amount differ, and the authority gives no numbers); ${done}, so a person must check the authority's copy with 查验 or on the platform.`;

describe('AMOUNT_MISMATCH from a 查验 03 (the authority gives no numbers)', () => {
  it('opens it for a person, with no correction request (a red-letter form would not know what to reverse)', () => {
    expect(decide(differs, null, ctx)).toEqual({
      state: 'open',
      severity: 'critical',
      remediation: 'none',
      remediationAttempts: 0,
      remediated: false,
      explanation: sentence('nothing was corrected automatically'),
    });
    expect(decide(differs, finding('resolved'), ctx)).toMatchObject({ state: 'open', remediation: 'none' });
  });

  it('keeps a correction under way, an escalation with its sentence, and an ignored finding ignored', () => {
    expect(decide(differs, finding('remediating'), ctx)).toMatchObject({
      state: 'remediating',
      remediation: 'none',
      explanation: sentence('a red-letter correction is already under way'),
    });
    expect(decide(differs, finding('escalated'), ctx)).toMatchObject({
      state: 'escalated',
      remediation: 'none',
      explanation: 'before',
    });
    expect(decide(differs, finding('ignored'), ctx)).toMatchObject({ state: 'ignored', remediation: 'none' });
  });

  it('starts the correction once the authority record is read with other numbers', () => {
    expect(decide(numbers, finding('open'), ctx)).toMatchObject({
      state: 'remediating',
      remediation: 'correction',
    });
    expect(decide(numbers, finding('remediating'), ctx)).toMatchObject({
      state: 'remediating',
      remediation: 'none',
    });
  });
});
