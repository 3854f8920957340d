import { FINDING_TYPES, FindingType } from '../events/finding-events.schema';
import { describeFindingDevice, describeFindingInvoice, explainFinding, findingDevice } from './explain';
import { ExplainInput } from './explain.model';

const now = new Date('2026-11-20T02:00:00Z');
const DEVICE_ID = 'dev_6C0EWSW5upoMGTco';
const known = { name: '前台1号盘', deviceNo: '661234567890', branchId: 'SZ01' };
const invoiceFacts = {
  invoiceType: 'E_VAT_SPECIAL',
  code: '044031900111',
  number: '12345678',
  branchId: 'SZ01',
  deviceId: DEVICE_ID,
};

/** reconcile's facts for each type, as compare writes them (apps/reconcile/src/compare). */
const EVIDENCE: Record<FindingType, Pick<ExplainInput, 'evidence' | 'state'>> = {
  MISSING_IN_AUTHORITY: {
    state: 'remediating',
    evidence: {
      ...invoiceFacts,
      cause: 'NOT_VISIBLE',
      lastAcceptedAt: '2026-11-16T03:00:00Z',
      acceptedVia: 'baiwang',
      reuploadAttempts: 1,
      maxReuploads: 3,
    },
  },
  MISSING_IN_LEDGER: {
    evidence: {
      ...invoiceFacts,
      issuedAt: '2026-11-02T03:00:00Z',
      authority: { amount: '723.47', taxAmount: '94.05', totalAmount: '817.52', status: 'NORMAL' },
    },
  },
  AMOUNT_MISMATCH: {
    state: 'remediating',
    evidence: {
      ...invoiceFacts,
      ledger: { amount: '723.47', taxAmount: '94.05', totalAmount: '817.52' },
      authority: { amount: '723.47', taxAmount: '94.05', totalAmount: '1817.52' },
    },
  },
  STATUS_MISMATCH: {
    state: 'remediating',
    evidence: { ...invoiceFacts, ledgerState: 'voided', authorityStatus: 'NORMAL' },
  },
  DUPLICATE_INVOICE: {
    evidence: {
      ...invoiceFacts,
      versions: [
        { side: 'ledger', totalAmount: '817.52' },
        { side: 'ledger', totalAmount: '1234567.5' },
      ],
    },
  },
  CLEAR_CARD_OVERDUE: {
    evidence: {
      deviceId: DEVICE_ID,
      branchId: 'SZ01',
      period: '2026-10',
      deadline: '2026-11-17',
      lastStatus: 'failed',
      errorCode: 'E42',
    },
  },
  CLEAR_CARD_FAILED: {
    evidence: {
      deviceId: DEVICE_ID,
      branchId: 'SZ01',
      period: '2026-10',
      deadline: '2026-11-17',
      lastStatus: 'failed',
      lastAttemptAt: '2026-11-10T02:00:00Z',
      errorCode: 'E42',
      errorMessage: '设备忙',
    },
  },
  DEVICE_LOCK_IMMINENT: {
    evidence: { deviceId: DEVICE_ID, branchId: 'SZ01', lockDate: '2026-11-22', daysLeft: 2 },
  },
  OFFLINE_LIMIT_NEAR: {
    evidence: {
      deviceId: DEVICE_ID,
      branchId: 'SZ01',
      offlineHours: 60,
      offlineHoursLimit: 72,
      offlineAmount: '90000.00',
      offlineAmountLimit: '100000.00',
      durationNear: true,
      amountNear: true,
      thresholdPercent: 80,
    },
  },
  REPORT_TOTALS_MISMATCH: {
    evidence: {
      deviceId: DEVICE_ID,
      branchId: 'SZ01',
      invoiceType: 'E_VAT_SPECIAL',
      period: '2026-10',
      device: { count: 1, amount: '817.52', taxAmount: '106.28' },
      ledger: { count: 2, amount: '1635.04', taxAmount: '212.56' },
      authority: null,
    },
  },
};

const INVOICE_TYPES = new Set<FindingType>([
  'MISSING_IN_AUTHORITY',
  'MISSING_IN_LEDGER',
  'AMOUNT_MISMATCH',
  'STATUS_MISMATCH',
  'DUPLICATE_INVOICE',
]);
const input = (type: FindingType, device?: ExplainInput['device']): ExplainInput => ({
  type,
  ...EVIDENCE[type],
  device,
  deviceId: DEVICE_ID,
  period: '2026-10',
  now,
});

describe('explainFinding', () => {
  describe.each(FINDING_TYPES)('%s', (type) => {
    const zh = explainFinding(input(type, known), 'zh-CN');
    const en = explainFinding(input(type, known), 'en');

    it('is one Chinese sentence by default, without English words, type codes or the internal id', () => {
      expect(explainFinding(input(type, known))).toBe(zh);
      expect(zh).toMatch(/。$/);
      expect(zh).not.toMatch(/[a-z]{4,}/i); // no English words (codes such as E42 and branch ids like SZ01 are short)
      expect(zh).not.toContain('E_VAT_SPECIAL');
      expect(zh).not.toContain(DEVICE_ID);
      expect(zh).not.toContain('undefined');
      expect(zh).not.toContain('?');
    });

    it('is one English sentence for English readers', () => {
      expect(en).toMatch(/^[A-Z].*\.$/);
      expect(en).not.toMatch(/[\u4e00-\u9fff]{6,}/); // at most a term such as 抄报 or 清卡 in brackets
      expect(en).not.toContain('E_VAT_SPECIAL');
      expect(en).not.toContain(DEVICE_ID);
      expect(en).not.toContain('undefined');
    });

    if (INVOICE_TYPES.has(type)) {
      it("names the invoice by its type's name and its code and number", () => {
        expect(zh).toContain('增值税电子专用发票 044031900111-12345678');
        expect(en).toContain('lectronic VAT special invoice 044031900111-12345678');
      });
    } else {
      it('names the device by name, branch and 机器编号, and by id only when nothing else is known', () => {
        expect(zh).toContain('开票设备“前台1号盘”（分支机构 SZ01，机器编号 661234567890）');
        expect(en).toContain('evice "前台1号盘" (branch SZ01, device no. 661234567890)');
        const bare = explainFinding(
          { ...input(type), evidence: { ...EVIDENCE[type].evidence, branchId: undefined } },
          'zh-CN',
        );
        expect(bare).toContain(`开票设备 ${DEVICE_ID}`);
        expect(bare).not.toContain('分支机构');
      });
    }
  });

  it('writes amounts as money and periods as months', () => {
    const zh = explainFinding(input('REPORT_TOTALS_MISMATCH', known), 'zh-CN');
    expect(zh).toBe(
      '开票设备“前台1号盘”（分支机构 SZ01，机器编号 661234567890）2026年10月的抄报汇总中增值税电子专用发票为1张、金额合计 817.52 元（税额 106.28 元），但我方账簿为2张、金额合计 1,635.04 元（税额 212.56 元）。',
    );
    const en = explainFinding(input('REPORT_TOTALS_MISMATCH', known), 'en');
    expect(en).toBe(
      'Device "前台1号盘" (branch SZ01, device no. 661234567890)\'s monthly summary (抄报) for October 2026 shows 1 invoice totalling ¥817.52 (tax ¥106.28) of type electronic VAT special invoice, but our ledger has 2 invoices totalling ¥1,635.04 (tax ¥212.56).',
    );
    expect(explainFinding(input('DUPLICATE_INVOICE'), 'zh-CN')).toContain('817.52 元、1,234,567.50 元');
  });

  it('takes the device name and number from the evidence when the caller knows none', () => {
    const evidence = {
      ...EVIDENCE.CLEAR_CARD_OVERDUE.evidence,
      deviceName: '财务室金税盘',
      authority: { deviceNo: '499000111222', unknown: 'LIMIT_REACHED' },
    };
    expect(explainFinding({ type: 'CLEAR_CARD_OVERDUE', evidence, now }, 'zh-CN')).toBe(
      '开票设备“财务室金税盘”（分支机构 SZ01，机器编号 499000111222）尚未完成2026年10月的清卡，申报截止日2026年11月17日已过（最近一次清卡失败：E42）。',
    );
  });

  it('says what was done from the state: escalated re-uploads, an open amount mismatch', () => {
    const escalated = explainFinding(
      {
        ...input('MISSING_IN_AUTHORITY'),
        state: 'escalated',
        evidence: { ...EVIDENCE.MISSING_IN_AUTHORITY.evidence, reuploadAttempts: 3 },
      },
      'zh-CN',
    );
    expect(escalated).toBe(
      '增值税电子专用发票 044031900111-12345678已于11月16日被百望云接收，但3天后税局仍无记录；已补传3次仍未成功，已升级由专人与主管税务机关核实。',
    );
    expect(explainFinding({ ...input('AMOUNT_MISMATCH'), state: 'open' }, 'en')).toContain(
      'a person must decide which is right',
    );
    expect(explainFinding({ ...input('AMOUNT_MISMATCH'), state: 'remediating' }, 'zh-CN')).toContain(
      '价税合计我方 817.52 元、税局 1,817.52 元）；已申请红字更正',
    );
  });

  it('explains a 查验 03 and a device-only clear-card from the authority', () => {
    const differs = {
      ...invoiceFacts,
      checkOutcome: 'differs',
      channel: 'authority',
      checkedAt: '2026-11-19T02:00:00Z',
      authority: null,
    };
    expect(
      explainFinding({ type: 'AMOUNT_MISMATCH', state: 'open', evidence: differs, now }, 'zh-CN'),
    ).toContain('11月19日经税局查验返回 03');
    const deviceOnly = {
      ...EVIDENCE.CLEAR_CARD_FAILED.evidence,
      deviceClearedAt: '2026-11-12T02:00:00Z',
      authority: {
        deviceNo: '661234567890',
        status: 'FAILED',
        errorCode: '09',
        errorMessage: '未抄报',
        agreement: 'DEVICE_ONLY',
      },
    };
    expect(explainFinding({ type: 'CLEAR_CARD_FAILED', evidence: deviceOnly, now }, 'zh-CN')).toBe(
      '开票设备 dev_6C0EWSW5upoMGTco（分支机构 SZ01，机器编号 661234567890）于11月12日报告已完成2026年10月的清卡，但税局显示清卡失败（09：未抄报）；须在截止日2026年11月17日前重新清卡，否则设备将锁死。',
    );
  });
});

describe('finding phrases', () => {
  it('describe the device and the invoice as the sentences do, or nothing when there is none', () => {
    const device = { ...input('DEVICE_LOCK_IMMINENT', known) };
    expect(findingDevice(device)).toEqual({
      id: DEVICE_ID,
      name: '前台1号盘',
      deviceNo: '661234567890',
      branchId: 'SZ01',
      branchName: null,
    });
    expect(describeFindingDevice(device, 'en')).toBe(
      'device "前台1号盘" (branch SZ01, device no. 661234567890)',
    );
    expect(describeFindingDevice({ type: 'MISSING_IN_LEDGER', evidence: {}, now })).toBeNull();
    expect(describeFindingInvoice(input('STATUS_MISMATCH'), 'zh-CN')).toBe(
      '增值税电子专用发票 044031900111-12345678',
    );
    expect(
      describeFindingInvoice(
        {
          type: 'MISSING_IN_LEDGER',
          evidence: {},
          invoice: { type: 'DIGITAL_GENERAL', code: null, number: '26442000000000000001' },
          now,
        },
        'zh-CN',
      ),
    ).toBe('电子发票(普通发票) 26442000000000000001');
    expect(describeFindingInvoice(device)).toBeNull();
  });
});
