import { decide } from './finding-decision.rules';
import { DecisionContext, Discrepancy, FindingRow } from './finding.model';
import { findingRow } from '../../test/support/finding-row';

const NOW = new Date('2026-11-20T02:00:00Z');
const ctx: DecisionContext = { now: NOW, visibilityLagMs: 86_400_000, maxReuploads: 3 };
const KEY = '25442000000000000002';
const missing = (cause: string, extra: Record<string, unknown> = {}): Discrepancy => ({
  type: 'MISSING_IN_AUTHORITY',
  subject: KEY,
  invoiceKey: KEY,
  deviceId: null,
  facts: { cause, lastAcceptedAt: '2026-11-03T02:00:00Z', acceptedVia: 'nuonuo', ...extra },
});
const finding = (over: Partial<FindingRow>): FindingRow =>
  findingRow(KEY, NOW, { type: 'MISSING_IN_AUTHORITY', remediationAttempts: 1, lastRemediatedAt: new Date('2026-11-19T12:00:00Z'), ...over });

describe('finding decisions', () => {
  it('re-uploads a first time with the attempt in the sentence', () => {
    expect(decide(missing('NOT_VISIBLE'), null, ctx)).toEqual({
      state: 'remediating', severity: 'critical', remediation: 'reupload', remediationAttempts: 1, remediated: true,
      explanation: `发票 ${KEY}已于11月3日被诺诺接收，但17天后税局仍无记录；已申请补传（第1次，共3次）。`,
    });
  });

  it('waits one visibility lag between re-uploads', () => {
    const decision = decide(missing('NOT_VISIBLE'), finding({}), ctx);
    expect(decision).toMatchObject({ state: 'remediating', remediation: 'none', remediationAttempts: 1, explanation: 'before' });
    const later = decide(missing('NOT_VISIBLE'), finding({ lastRemediatedAt: new Date('2026-11-19T02:00:00Z') }), ctx);
    expect(later).toMatchObject({ remediation: 'reupload', remediationAttempts: 2 });
  });

  it('escalates once the attempts are used up, and never re-uploads an ignored one', () => {
    expect(decide(missing('NOT_VISIBLE'), finding({ remediationAttempts: 3 }), ctx)).toMatchObject({ state: 'escalated', remediation: 'none' });
    expect(decide(missing('NOT_VISIBLE'), finding({ state: 'ignored', lastRemediatedAt: null }), ctx)).toMatchObject({ state: 'ignored', remediation: 'none' });
    expect(decide(missing('NOT_VISIBLE'), null, { ...ctx, maxReuploads: 0 })).toMatchObject({ state: 'escalated', remediation: 'none' });
  });

  it('does not blame the authority for an invoice sync has not delivered, and escalates a rejected one', () => {
    expect(decide(missing('NOT_DELIVERED'), null, ctx)).toMatchObject({ state: 'open', severity: 'warning', remediation: 'none' });
    const rejected = decide(missing('DELIVERY_REJECTED', { syncErrorCode: 'E0101', syncErrorMessage: 'buyer tax id invalid' }), null, ctx);
    expect(rejected).toMatchObject({ state: 'escalated', remediation: 'none' });
    expect(rejected.explanation).toBe(`发票 ${KEY}被税局拒收（E0101：buyer tax id invalid），需更正后重新开具。`);
  });

  it('back-fills and asks for a correction only when a finding is first opened (or reopened)', () => {
    const ledger: Discrepancy = { type: 'MISSING_IN_LEDGER', subject: KEY, invoiceKey: KEY, deviceId: null, facts: { issuedAt: '2026-10-12T02:00:00Z', authority: { totalAmount: '1130.00' } } };
    expect(decide(ledger, null, ctx).remediation).toBe('backfill');
    expect(decide(ledger, finding({ type: 'MISSING_IN_LEDGER', state: 'open' }), ctx).remediation).toBe('none');
    const amount: Discrepancy = { type: 'AMOUNT_MISMATCH', subject: KEY, invoiceKey: KEY, deviceId: null, facts: { ledger: { totalAmount: '1.00' }, authority: { totalAmount: '2.00' } } };
    expect(decide(amount, null, ctx)).toMatchObject({ state: 'remediating', remediation: 'correction' });
    expect(decide(amount, finding({ type: 'AMOUNT_MISMATCH', state: 'resolved' }), ctx)).toMatchObject({ state: 'remediating', remediation: 'correction' });
    expect(decide(amount, finding({ type: 'AMOUNT_MISMATCH', state: 'escalated' }), ctx)).toMatchObject({ state: 'escalated', remediation: 'none' });
  });

  it('keeps the sentence of an escalated correction (why its red-letter form failed) or of one under way (where its form stands) on later runs', () => {
    const status: Discrepancy = { type: 'STATUS_MISMATCH', subject: KEY, invoiceKey: KEY, deviceId: null, facts: { ledgerState: 'voided', authorityStatus: 'NORMAL' } };
    expect(decide(status, finding({ type: 'STATUS_MISMATCH', state: 'escalated', explanation: 'form expired' }), ctx)).toMatchObject({
      state: 'escalated',
      explanation: 'form expired',
    });
    expect(decide(status, finding({ type: 'STATUS_MISMATCH', state: 'remediating', explanation: 'form 02, awaiting the buyer' }), ctx)).toMatchObject({
      state: 'remediating',
      remediation: 'none',
      explanation: 'form 02, awaiting the buyer',
    });
    // a correction that starts (again) says what was requested
    expect(decide(status, finding({ type: 'STATUS_MISMATCH', state: 'resolved', explanation: 'gone' }), ctx).explanation).toBe(
      `发票 ${KEY}在我方账簿中为“已作废”，在税局为“正常”；已申请更正。`,
    );
  });

  describe('quiet devices and incomplete reconciliations', () => {
    const quiet = (type: Discrepancy['type'], facts: Record<string, unknown>): Discrepancy => ({
      type, subject: 'dev-1', invoiceKey: null, deviceId: 'dev-1',
      facts: { deviceId: 'dev-1', deviceName: '前台1号盘', branchId: 'SZ01', period: '2026-10', ...facts },
    });
    const at = (iso: string) => ({ ...ctx, now: new Date(iso) });

    it('warns of a missing 抄报, and a missing clear-card or a silent device becomes critical on the last day before the deadline', () => {
      const deadline = { deadline: '2026-11-17', periodStart: '2026-10-01', kind: 'no-activity' };
      expect(decide(quiet('REPORT_MISSING', deadline), null, at('2026-11-16T02:00:00Z'))).toMatchObject({ state: 'open', severity: 'warning' });
      expect(decide(quiet('CLEAR_CARD_MISSING', deadline), null, at('2026-11-14T02:00:00Z'))).toMatchObject({ state: 'open', severity: 'warning' });
      expect(decide(quiet('CLEAR_CARD_MISSING', deadline), null, at('2026-11-16T02:00:00Z'))).toMatchObject({ severity: 'critical' });
      expect(decide(quiet('DEVICE_SILENT', deadline), null, at('2026-11-15T02:00:00Z'))).toMatchObject({ severity: 'warning' });
      const silent = decide(quiet('DEVICE_SILENT', deadline), null, at('2026-11-17T02:00:00Z'));
      expect(silent).toMatchObject({ severity: 'critical', remediation: 'none' });
      expect(silent.explanation).toContain('开票设备“前台1号盘”');
      expect(silent.explanation).toContain('今天是最后一天');
    });

    it('makes a stale reading critical when the device may lock within a day', () => {
      const stale = { kind: 'stale-reading', deadline: '2026-12-15', mayLockAt: '2026-11-21T01:00:00Z', lastReadingAt: '2026-11-18T01:00:00Z', offlineHoursLimit: 72, thresholdPercent: 80 };
      expect(decide(quiet('DEVICE_SILENT', stale), null, at('2026-11-19T02:00:00Z'))).toMatchObject({ severity: 'warning' });
      expect(decide(quiet('DEVICE_SILENT', stale), null, at('2026-11-20T02:00:00Z'))).toMatchObject({ severity: 'critical' });
    });

    it('keeps an ignored quiet finding ignored, and an incomplete reconciliation is critical', () => {
      const ignored = findingRow('dev-1', NOW, { type: 'REPORT_MISSING', state: 'ignored', invoiceKey: null, deviceId: 'dev-1' });
      expect(decide(quiet('REPORT_MISSING', { deadline: '2026-11-17' }), ignored, ctx)).toMatchObject({ state: 'ignored' });
      const scope: Discrepancy = {
        type: 'RECONCILIATION_INCOMPLETE', subject: 'scope', invoiceKey: null, deviceId: null,
        facts: { taxNo: 'T', period: '2026-10', deadline: '2026-11-17', since: '2026-11-19T01:00:00Z', runs: 2, causes: ['QUOTA_SPENT'] },
      };
      const decision = decide(scope, null, ctx);
      expect(decision).toMatchObject({ state: 'open', severity: 'critical', remediation: 'none' });
      expect(decision.explanation).toContain('调用或查验次数已用尽');
    });
  });

  describe('content mismatches', () => {
    const content = (invoiceType: string, fields: Record<string, unknown>[]): Discrepancy => ({
      type: 'CONTENT_MISMATCH', subject: KEY, invoiceKey: KEY, deviceId: null, facts: { invoiceType, number: KEY, fields },
    });
    const taxNo = { field: 'buyerTaxNo', ours: '91310115MA1H0AAA2B', authority: '91310115MA1H0AAA3C' };
    const name = { field: 'buyerName', ours: '甲公司', authority: '乙公司' };

    it('opens a warning for a person, with no remediation, naming the fields', () => {
      const decision = decide(content('DIGITAL_GENERAL', [name, taxNo]), null, ctx);
      expect(decision).toMatchObject({ state: 'open', severity: 'warning', remediation: 'none', remediated: false });
      expect(decision.explanation).toContain('购买方纳税人识别号我方 91310115MA1H0AAA2B、税局 91310115MA1H0AAA3C；购买方名称我方“甲公司”、税局“乙公司”');
    });

    it('is critical when the buyer tax number differs on a special invoice (ours or the authority says special)', () => {
      expect(decide(content('DIGITAL_SPECIAL', [taxNo]), null, ctx).severity).toBe('critical');
      const typed = { field: 'invoiceType', ours: 'DIGITAL_GENERAL', authority: 'DIGITAL_SPECIAL' };
      expect(decide(content('DIGITAL_GENERAL', [typed, taxNo]), null, ctx).severity).toBe('critical');
      expect(decide(content('DIGITAL_SPECIAL', [name]), null, ctx).severity).toBe('warning');
    });

    it('keeps an escalated or ignored one so', () => {
      const row = (state: FindingRow['state']) => findingRow(KEY, NOW, { type: 'CONTENT_MISMATCH', state });
      expect(decide(content('DIGITAL_GENERAL', [name]), row('escalated'), ctx).state).toBe('escalated');
      expect(decide(content('DIGITAL_GENERAL', [name]), row('ignored'), ctx).state).toBe('ignored');
      expect(decide(content('DIGITAL_GENERAL', [name]), row('resolved'), ctx).state).toBe('open');
    });
  });
});
