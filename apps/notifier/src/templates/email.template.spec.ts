import { FindingChanged } from '@lib/contracts';
import { renderDigestEmail, renderFindingEmail } from './email.template';
import { escapeHtml } from './html-escape';

const finding = (over: Partial<FindingChanged> = {}): FindingChanged => ({
  findingId: 'F-1',
  type: 'CLEAR_CARD_OVERDUE',
  state: 'open',
  previousState: null,
  severity: 'critical',
  taxNo: '91440300MA5F8Q2K7X',
  branchId: 'sz',
  period: '2026-02',
  invoice: null,
  deviceId: 'DEV-1',
  explanation: '设备DEV-1在申报期结束前3天仍未清卡 <b>"紧急"</b>',
  evidence: {},
  createdAt: '2026-03-10T02:00:00Z',
  updatedAt: '2026-03-10T02:00:00Z',
  ...over,
});
const link = 'https://app.example.com/findings/F-1?x=1&y=2';

describe('email templates', () => {
  it('renders a Chinese alert: why, about what, what was done, what to do, the link', () => {
    const mail = renderFindingEmail({ finding: finding(), language: 'zh-CN', link });
    expect(mail.subject).toBe('【发票同步·紧急】设备清卡逾期 DEV-1');
    expect(mail.text).toContain('说明: 设备DEV-1在申报期结束前3天仍未清卡 <b>"紧急"</b>');
    expect(mail.text).toContain('设备: 开票设备 DEV-1（分支机构 sz）');
    expect(mail.text).toContain('系统已自动处理: 系统已检测到设备尚未清卡。');
    expect(mail.text).toContain('需要您处理: 请立即在开票设备上完成抄报和清卡');
    expect(mail.text).toContain(`查看详情: ${link}`);
    expect(mail.html).toContain('仍未清卡 &lt;b&gt;&quot;紧急&quot;&lt;/b&gt;');
    expect(mail.html).toContain('href="https://app.example.com/findings/F-1?x=1&amp;y=2"');
    expect(mail.html).not.toMatch(/<b>/);
  });

  it('renders English for English readers, with the invoice reference and escalation', () => {
    const mail = renderFindingEmail({
      finding: finding({
        type: 'MISSING_IN_AUTHORITY',
        severity: 'warning',
        deviceId: null,
        invoice: { type: 'VAT_SPECIAL', code: '4403191130', number: '00123456' },
      }),
      language: 'en',
      link,
      escalationLevel: 2,
    });
    expect(mail.subject).toBe(
      '【Invoice Sync·Warning · escalated to level 2】Invoice missing at the tax authority 4403191130-00123456',
    );
    expect(mail.text).toContain('Invoice: paper VAT special invoice 4403191130-00123456');
    expect(mail.text).not.toContain('VAT_SPECIAL');
    expect(mail.text).toContain('This critical problem was not resolved in time');
    expect(mail.text).toContain('What you need to do:');
  });

  it('lists every finding of a digest', () => {
    const items = [
      finding({ findingId: 'A', deviceId: 'D-A' }),
      finding({ findingId: 'B', deviceId: 'D-B' }),
    ];
    const mail = renderDigestEmail(
      items,
      'zh-CN',
      (id) => `https://x/${id}`,
      new Date('2026-03-10T02:00:00Z'),
    );
    expect(mail.subject).toBe('【发票同步】2条提示汇总 2026-03-10 10:00');
    expect(mail.text).toMatch(/1\. 设备清卡逾期 D-A[\s\S]*2\. 设备清卡逾期 D-B/);
    expect(mail.html).toContain('href="https://x/B"');
  });

  describe("from the evidence, in the reader's language", () => {
    const report = finding({
      findingId: 'F-9',
      type: 'REPORT_TOTALS_MISMATCH',
      severity: 'warning',
      deviceId: 'dev_6C0EWSW5upoMGTco',
      period: '2026-10',
      explanation:
        "Device dev_6C0EWSW5upoMGTco's monthly summary (抄报) for 2026-10 shows 1 invoice totalling 817.52 (tax 106.28) of type E_VAT_SPECIAL, but our ledger has 0 invoices totalling 0.00 (tax 0.00).",
      evidence: {
        deviceId: 'dev_6C0EWSW5upoMGTco',
        deviceName: '南山门店1号盘',
        deviceNo: '661234567890',
        branchId: 'sz',
        invoiceType: 'E_VAT_SPECIAL',
        period: '2026-10',
        device: { count: 1, amount: '817.52', taxAmount: '106.28' },
        ledger: { count: 0, amount: '0.00', taxAmount: '0.00' },
        authority: null,
      },
    });
    const consoleLink = 'https://console.example.com/findings/F-9';

    it('tells a Chinese reader in Chinese: the device by name, branch and 机器编号, the type by name, money, month', () => {
      const mail = renderFindingEmail({ finding: report, language: 'zh-CN', link: consoleLink });
      expect(mail.subject).toBe('【发票同步·警告】抄报汇总与账簿不一致 南山门店1号盘');
      expect(mail.text).toContain(
        '说明: 开票设备“南山门店1号盘”（分支机构 sz，机器编号 661234567890）2026年10月的抄报汇总中增值税电子专用发票为1张、金额合计 817.52 元（税额 106.28 元），但我方账簿为0张',
      );
      expect(mail.text).toContain('设备: 开票设备“南山门店1号盘”（分支机构 sz，机器编号 661234567890）');
      expect(mail.text).toContain(`查看详情: ${consoleLink}`);
      for (const leak of ['dev_6C0EWSW5upoMGTco', 'E_VAT_SPECIAL', 'monthly summary']) {
        expect(mail.text).not.toContain(leak);
        expect(mail.html).not.toContain(leak);
        expect(mail.subject).not.toContain(leak);
      }
    });

    it('tells an English reader in English', () => {
      const mail = renderFindingEmail({ finding: report, language: 'en', link: consoleLink });
      expect(mail.text).toContain(
        `Explanation: Device "南山门店1号盘" (branch sz, device no. 661234567890)'s monthly summary (抄报) for October 2026 shows 1 invoice totalling ¥817.52`,
      );
      expect(mail.text).toContain(`View details: ${consoleLink}`);
      expect(mail.text).not.toContain('E_VAT_SPECIAL');
    });

    it('renders each finding of a digest so too', () => {
      const mail = renderDigestEmail([report], 'zh-CN', () => consoleLink, new Date('2026-11-20T02:00:00Z'));
      expect(mail.text).toContain('1. 抄报汇总与账簿不一致 南山门店1号盘: 开票设备“南山门店1号盘”');
      expect(mail.text).not.toContain('E_VAT_SPECIAL');
    });
  });

  it('escapes every HTML-special character', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
