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
  `发票 ${KEY}与税局留存的版本不一致（11月19日经authority-verify查验返回 03：类型、日期或金额不同，税局未给出具体数据）；${done}，请通过查验或在平台上核对税局留存的版本。`;

describe('AMOUNT_MISMATCH from a 查验 03 (the authority gives no numbers)', () => {
  it('opens it for a person, with no correction request (a red-letter form would not know what to reverse)', () => {
    expect(decide(differs, null, ctx)).toEqual({
      state: 'open',
      severity: 'critical',
      remediation: 'none',
      remediationAttempts: 0,
      remediated: false,
      explanation: sentence('系统未自动更正'),
    });
    expect(decide(differs, finding('resolved'), ctx)).toMatchObject({ state: 'open', remediation: 'none' });
  });

  it('keeps a correction under way, an escalation with its sentence, and an ignored finding ignored', () => {
    expect(decide(differs, finding('remediating'), ctx)).toMatchObject({
      state: 'remediating',
      remediation: 'none',
      explanation: sentence('红字更正已在进行中'),
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
