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
    expect(mail.text).toContain('设备: DEV-1');
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
    expect(mail.text).toContain('Invoice: VAT_SPECIAL 4403191130-00123456');
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

  it('escapes every HTML-special character', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
