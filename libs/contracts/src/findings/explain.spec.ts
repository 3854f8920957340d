import { FINDING_TYPES, FindingType } from '../events/finding-events.schema';
import { describeFindingDevice, describeFindingInvoice, explainFinding, findingDevice } from './explain';
import { REMOTE_OP_ERROR_CODES, REMOTE_OP_FAILURES } from '../devices/remote-ops';
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
  REPORT_MISSING: {
    evidence: {
      deviceId: DEVICE_ID,
      branchId: 'SZ01',
      period: '2026-10',
      deadline: '2026-11-22',
      daysLeft: 2,
    },
  },
  CLEAR_CARD_MISSING: {
    evidence: {
      deviceId: DEVICE_ID,
      branchId: 'SZ01',
      period: '2026-10',
      deadline: '2026-11-22',
      reportedAt: '2026-11-03T02:00:00Z',
    },
  },
  DEVICE_SILENT: {
    evidence: {
      kind: 'no-activity',
      deviceId: DEVICE_ID,
      branchId: 'SZ01',
      period: '2026-10',
      periodStart: '2026-10-01',
      deadline: '2026-11-22',
      lastSeenAt: '2026-09-28T02:00:00Z',
    },
  },
  CONTENT_MISMATCH: {
    evidence: {
      ...invoiceFacts,
      fields: [
        { field: 'lineCount', ours: 3, authority: 2 },
        // short names: the English sentence quotes them as they are (the generic checks allow few Chinese characters)
        { field: 'buyerName', ours: '甲贸易', authority: '乙贸易' },
      ],
    },
  },
  RECEIVED_INVOICE_INVALID: {
    evidence: {
      ...invoiceFacts,
      deviceId: undefined,
      cause: 'MISMATCH',
      sellerName: '甲贸易',
      sellerTaxNo: '91310000MA1FL8XQ3C',
      totalAmount: '817.52',
      channel: 'baiwang',
      returnCode: '03',
      checkedAt: '2026-11-19T03:00:00Z',
    },
  },
  RECEIVED_INVOICE_VOIDED: {
    evidence: {
      ...invoiceFacts,
      deviceId: undefined,
      authorityStatus: 'RED_REVERSED',
      sellerName: '甲贸易',
      sellerTaxNo: '91310000MA1FL8XQ3C',
      totalAmount: '817.52',
      channel: 'authority',
      returnCode: '00',
      checkedAt: '2026-11-19T03:00:00Z',
    },
  },
  RECONCILIATION_INCOMPLETE: {
    evidence: {
      taxNo: '914403001234567890',
      period: '2026-10',
      deadline: '2026-11-22',
      since: '2026-11-19T01:30:00Z',
      runs: 3,
      causes: ['AUTHORITY_UNAVAILABLE', 'QUOTA_SPENT'],
    },
  },
};

/** Findings about a whole taxpayer period: they name no device. */
const SCOPE_TYPES = new Set<FindingType>(['RECONCILIATION_INCOMPLETE']);

const INVOICE_TYPES = new Set<FindingType>([
  'MISSING_IN_AUTHORITY',
  'MISSING_IN_LEDGER',
  'AMOUNT_MISMATCH',
  'STATUS_MISMATCH',
  'DUPLICATE_INVOICE',
  'CONTENT_MISMATCH',
  'RECEIVED_INVOICE_INVALID',
  'RECEIVED_INVOICE_VOIDED',
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

    if (SCOPE_TYPES.has(type)) {
      it('names the taxpayer, the period and the deadline, and no device', () => {
        expect(zh).toContain('纳税人（税号 914403001234567890）2026年10月');
        expect(zh).toContain('2026年11月22日');
        expect(en).toContain('taxpayer 914403001234567890 for October 2026');
        expect(en).toContain('22 Nov 2026');
        expect(zh).not.toContain('开票设备');
        expect(en).not.toMatch(/device "/);
      });
    } else if (INVOICE_TYPES.has(type)) {
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

  describe('received invoices (进项)', () => {
    it('names the supplier, the receiving branch, the service that answered and what to do', () => {
      expect(explainFinding(input('RECEIVED_INVOICE_VOIDED'), 'zh-CN')).toBe(
        '分支机构 SZ01 收到的甲贸易（税号 91310000MA1FL8XQ3C）开具的增值税电子专用发票 044031900111-12345678（价税合计 817.52 元）在税局的状态为已红冲（11月19日经税局查验（返回 00））；其进项税额不得抵扣，请停止抵扣或作进项税额转出，并联系销售方重新开具。',
      );
      expect(explainFinding(input('RECEIVED_INVOICE_INVALID'), 'en')).toBe(
        'Electronic VAT special invoice 044031900111-12345678 of ¥817.52 from 甲贸易 (91310000MA1FL8XQ3C), received by branch SZ01, failed verification: 查验 through Baiwang on 19 Nov answered 03: its data do not match the authority’s record (type, date or amount); do not deduct its input tax, and ask the supplier for a genuine invoice or check the entered data.',
      );
    });

    it('says voided when the supplier voided it, and why 查验 failed for each cause', () => {
      const voided = { ...EVIDENCE.RECEIVED_INVOICE_VOIDED.evidence, authorityStatus: 'VOIDED' };
      expect(explainFinding({ ...input('RECEIVED_INVOICE_VOIDED'), evidence: voided }, 'zh-CN')).toContain('状态为已作废');
      const notFound = { ...EVIDENCE.RECEIVED_INVOICE_INVALID.evidence, cause: 'NOT_FOUND' };
      expect(explainFinding({ ...input('RECEIVED_INVOICE_INVALID'), evidence: notFound }, 'zh-CN')).toContain('税局查无此票');
      const notOurs = { ...EVIDENCE.RECEIVED_INVOICE_INVALID.evidence, cause: 'NOT_BUYER' };
      expect(explainFinding({ ...input('RECEIVED_INVOICE_INVALID'), evidence: notOurs }, 'en')).toContain('not addressed to us');
    });
  });

  describe('CONTENT_MISMATCH', () => {
    const content = (fields: Record<string, unknown>[], invoiceType = 'E_VAT_GENERAL') =>
      ({ ...input('CONTENT_MISMATCH'), evidence: { ...invoiceFacts, invoiceType, fields } }) as ExplainInput;

    it('names every differing field with both values, in a fixed order, in both languages', () => {
      const fields = [
        { field: 'lineCount', ours: 3, authority: 2 },
        { field: 'buyerName', ours: '上海浦东示例贸易有限公司', authority: '上海浦西示例贸易有限公司' },
        { field: 'issueDate', ours: '2026-10-10', authority: '2026-10-11' },
        { field: 'invoiceType', ours: 'E_VAT_GENERAL', authority: 'DIGITAL_GENERAL' },
      ];
      expect(explainFinding(content(fields), 'zh-CN')).toBe(
        '增值税电子普通发票 044031900111-12345678的内容与税局记录不一致（发票类型我方 增值税电子普通发票、税局 电子发票(普通发票)；开票日期我方 2026年10月10日、税局 2026年10月11日；购买方名称我方“上海浦东示例贸易有限公司”、税局“上海浦西示例贸易有限公司”；明细行数我方 3、税局 2）；系统未自动更正，需专人判断以哪一方为准，如发票有误，请开具红字发票冲销后重新开具。',
      );
      expect(explainFinding(content(fields), 'en')).toBe(
        "Electronic VAT general invoice 044031900111-12345678 says something else than the authority's record (invoice type: ours electronic VAT general invoice, the authority's fully digital e-invoice (general); issue date: ours 10 Oct 2026, the authority's 11 Oct 2026; buyer name: ours \"上海浦东示例贸易有限公司\", the authority's \"上海浦西示例贸易有限公司\"; line count: ours 3, the authority's 2); nothing was corrected automatically: a person must decide which is right and, if the invoice is wrong, reverse it with a red-letter invoice and issue it again.",
      );
    });

    it('says the buyer cannot deduct when the buyer tax number differs on a special invoice, and only then', () => {
      const taxNo = [{ field: 'buyerTaxNo', ours: '91310115MA1H0AAA2B', authority: null }];
      const special = explainFinding(content(taxNo, 'E_VAT_SPECIAL'), 'zh-CN');
      expect(special).toContain('购买方纳税人识别号我方 91310115MA1H0AAA2B、税局 无）');
      expect(special).toContain('购买方无法凭此专用发票抵扣进项税额');
      expect(explainFinding(content(taxNo, 'E_VAT_SPECIAL'), 'en')).toContain(
        "buyer tax number: ours 91310115MA1H0AAA2B, the authority's none), so the buyer cannot deduct the input VAT",
      );
      expect(explainFinding(content(taxNo), 'zh-CN')).not.toContain('抵扣');
      const name = [{ field: 'buyerName', ours: '甲', authority: '乙' }];
      expect(explainFinding(content(name, 'E_VAT_SPECIAL'), 'en')).not.toContain('deduct');
    });
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

describe('quiet devices and incomplete reconciliations', () => {
  const at = (iso: string) => new Date(iso);
  const quiet = (
    type: FindingType,
    evidence: Record<string, unknown>,
    when: Date,
    state?: ExplainInput['state'],
  ) =>
    ({
      type,
      evidence,
      device: known,
      deviceId: DEVICE_ID,
      period: '2026-10',
      now: when,
      state,
    }) as ExplainInput;
  const base = EVIDENCE.REPORT_MISSING.evidence;

  it('REPORT_MISSING names the device, the period, the deadline and what to do, before and after the deadline', () => {
    expect(explainFinding(quiet('REPORT_MISSING', base, at('2026-11-20T02:00:00Z')), 'zh-CN')).toBe(
      '开票设备“前台1号盘”（分支机构 SZ01，机器编号 661234567890）尚未完成2026年10月的抄报，申报截止日为2026年11月22日（还剩2天）；请在截止日前完成抄报。',
    );
    expect(explainFinding(quiet('REPORT_MISSING', base, at('2026-11-22T02:00:00Z')), 'en')).toBe(
      'Device "前台1号盘" (branch SZ01, device no. 661234567890) has not uploaded its monthly summary (抄报) for October 2026 and the filing deadline is 22 Nov 2026 (today is the last day); upload it (抄报) before the deadline.',
    );
    expect(explainFinding(quiet('REPORT_MISSING', base, at('2026-11-23T02:00:00Z')), 'zh-CN')).toBe(
      '开票设备“前台1号盘”（分支机构 SZ01，机器编号 661234567890）尚未完成2026年10月的抄报，申报截止日2026年11月22日已过；请立即完成抄报，逾期申报请联系主管税务机关。',
    );
  });

  it('CLEAR_CARD_MISSING says when the device reported and that it locks without a clear-card', () => {
    expect(
      explainFinding(quiet('CLEAR_CARD_MISSING', EVIDENCE.CLEAR_CARD_MISSING.evidence, now), 'zh-CN'),
    ).toBe(
      '开票设备“前台1号盘”（分支机构 SZ01，机器编号 661234567890）尚未完成2026年10月的清卡（已于11月3日完成抄报），申报截止日为2026年11月22日（还剩2天）；请在截止日前完成清卡，否则设备将锁死。',
    );
    expect(explainFinding(quiet('CLEAR_CARD_MISSING', base, now), 'en')).toBe(
      'Device "前台1号盘" (branch SZ01, device no. 661234567890) has not cleared its card (清卡) for October 2026 and the filing deadline is 22 Nov 2026 (2 days left); clear it before the deadline or the device locks.',
    );
  });

  it('DEVICE_SILENT says since when nothing came and asks whether the device is still in use', () => {
    expect(explainFinding(quiet('DEVICE_SILENT', EVIDENCE.DEVICE_SILENT.evidence, now), 'zh-CN')).toBe(
      '开票设备“前台1号盘”（分支机构 SZ01，机器编号 661234567890）自2026年10月1日起没有任何抄报、清卡或监控数据（最近一次联系在9月28日），2026年10月的申报截止日为2026年11月22日（还剩2天）；请确认设备是否仍在使用：在用请在截止日前完成抄报和清卡，不再使用请将其停用或注销。',
    );
    const never = { ...EVIDENCE.DEVICE_SILENT.evidence, lastSeenAt: null };
    expect(explainFinding(quiet('DEVICE_SILENT', never, now), 'en')).toBe(
      'Device "前台1号盘" (branch SZ01, device no. 661234567890) has sent no summary (抄报), clear-card (清卡) or monitor reading for October 2026 since 1 Oct 2026 (never heard from), and the filing deadline is 22 Nov 2026 (2 days left); check whether it is still in use: if it is, upload and clear it before the deadline, if not, suspend or retire it.',
    );
    // past the deadline it can no longer be done before it: now, and the late filing goes through the tax office
    expect(explainFinding(quiet('DEVICE_SILENT', never, at('2026-11-23T02:00:00Z')), 'zh-CN')).toBe(
      '开票设备“前台1号盘”（分支机构 SZ01，机器编号 661234567890）自2026年10月1日起没有任何抄报、清卡或监控数据（从未上报过数据），2026年10月的申报截止日2026年11月22日已过；请确认设备是否仍在使用：在用请立即完成抄报和清卡，并就逾期申报联系主管税务机关，不再使用请将其停用或注销。',
    );
  });

  it('DEVICE_SILENT from a stale reading says when the device may lock', () => {
    const stale = {
      kind: 'stale-reading',
      deviceId: DEVICE_ID,
      branchId: 'SZ01',
      period: '2026-11',
      deadline: '2026-12-15',
      lastReadingAt: '2026-11-17T02:00:00Z',
      offlineHoursLimit: 72,
      thresholdPercent: 80,
      mayLockAt: '2026-11-20T02:00:00Z',
    };
    expect(explainFinding({ ...quiet('DEVICE_SILENT', stale, now), period: '2026-11' }, 'zh-CN')).toBe(
      '开票设备“前台1号盘”（分支机构 SZ01，机器编号 661234567890）最近一次监控数据在11月17日 10:00，已超过离线时限72小时的80%，最早可能在11月20日 10:00锁死；请尽快联网并上传数据（2026年11月的申报截止日为2026年12月15日）。',
    );
    expect(explainFinding({ ...quiet('DEVICE_SILENT', stale, now), period: '2026-11' }, 'en')).toContain(
      'may lock from 20 Nov 10:00; bring it online',
    );
  });

  it('RECONCILIATION_INCOMPLETE names the causes, since when and the deadline; resolved, it says a complete run succeeded', () => {
    const e = EVIDENCE.RECONCILIATION_INCOMPLETE.evidence;
    const input: ExplainInput = { type: 'RECONCILIATION_INCOMPLETE', evidence: e, period: '2026-10', now };
    expect(explainFinding(input, 'zh-CN')).toBe(
      '纳税人（税号 914403001234567890）2026年10月的对账自11月19日 09:30起未能完成（3次均未完成：税局服务不可用、调用或查验次数已用尽），申报截止日为2026年11月22日（还剩2天）；请财务主管检查税局连接和调用额度，来不及修复时请在申报前手工核对本期发票。',
    );
    expect(explainFinding(input, 'en')).toBe(
      "The reconciliation of taxpayer 914403001234567890 for October 2026 has not completed since 19 Nov 09:30 (3 runs ended incomplete: the authority was unavailable and the call quota was spent) and the filing deadline is 22 Nov 2026 (2 days left); a finance manager must check the authority connection and quota and, if it cannot be fixed in time, check the period's invoices by hand before filing.",
    );
    const resolved = {
      ...input,
      state: 'resolved' as const,
      evidence: { ...e, completedAt: '2026-11-20T01:00:00Z' },
    };
    expect(explainFinding(resolved, 'zh-CN')).toBe(
      '纳税人（税号 914403001234567890）2026年10月的对账已于11月20日完整完成，自11月19日起未能完成的问题已自动解决。',
    );
    expect(explainFinding(resolved, 'en')).toMatch(
      /^A complete reconciliation of taxpayer 914403001234567890 for October 2026 succeeded on 20 Nov/,
    );
  });

  it('CLEAR_CARD_FAILED of a remote clear-card says the product ran it and gives the advice, not the code', () => {
    const remote = {
      ...EVIDENCE.CLEAR_CARD_FAILED.evidence,
      errorCode: 'REMOTE_OFFLINE_INVOICES_PENDING',
      errorMessage: '存在离线发票',
      remoteTarget: 'baiwang',
    };
    const zh = explainFinding(quiet('CLEAR_CARD_FAILED', remote, now), 'zh-CN');
    expect(zh).toBe(
      `系统于11月10日通过百望云远程为开票设备“前台1号盘”（分支机构 SZ01，机器编号 661234567890）执行2026年10月的清卡，未能成功（平台答复：存在离线发票）；${REMOTE_OP_FAILURES.REMOTE_OFFLINE_INVOICES_PENDING.advice['zh-CN']}，须在截止日2026年11月17日前完成清卡。`,
    );
    const en = explainFinding(quiet('CLEAR_CARD_FAILED', { ...remote, remoteTarget: null }, now), 'en');
    expect(en).toContain('The product cleared the card (清卡) of device "前台1号盘"');
    expect(en).toContain('remotely on its hosting platform on 10 Nov');
    expect(en).toContain(REMOTE_OP_FAILURES.REMOTE_OFFLINE_INVOICES_PENDING.advice.en);
    expect(en).not.toContain('REMOTE_');
    for (const code of REMOTE_OP_ERROR_CODES) {
      const said = explainFinding(quiet('CLEAR_CARD_FAILED', { ...remote, errorCode: code }, now), 'zh-CN');
      expect(said).toContain(REMOTE_OP_FAILURES[code].advice['zh-CN']);
      expect(said).not.toMatch(/[a-z]{4,}/i);
    }
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
