import { ManualClock } from '@lib/common';
import { pollUntil } from '@lib/testing';
import { finding, NotifierHarness, person } from './support/notifier-harness';

jest.setTimeout(90_000);

/**
 * A finding published on Kafka reaches each reader in their own language, with the device named as a clerk knows it
 * and a link into the console (real Kafka, PostgreSQL and the sandbox's SMTP sink).
 */
describe("notifier: alerts in the reader's language, linked to the console", () => {
  const clock = new ManualClock('2026-11-20T02:00:00Z');
  const h = new NotifierHarness(clock);

  beforeAll(() => h.start({ NOTIFIER_CONSOLE_URL: 'https://console.example.com/' }));
  afterAll(() => h.stop());

  it('writes to a Chinese reader in Chinese and to an English reader in English, each linking to the finding in the console', async () => {
    await h.addRecipient(person('lang-zh', 'lang', 1));
    await h.addRecipient(person('lang-en', 'lang', 1, { language: 'en' }));
    const report = finding(clock, {
      type: 'REPORT_TOTALS_MISMATCH',
      branchId: 'lang',
      period: '2026-10',
      invoice: null,
      deviceId: 'dev_6C0EWSW5upoMGTco',
      // what reconcile stores today: English, the internal id, the type code
      explanation:
        "Device dev_6C0EWSW5upoMGTco's monthly summary (抄报) for 2026-10 shows 1 invoice totalling 817.52 (tax 106.28) of type E_VAT_SPECIAL, but our ledger has 0 invoices totalling 0.00 (tax 0.00).",
      evidence: {
        deviceId: 'dev_6C0EWSW5upoMGTco',
        deviceName: '南山门店1号盘',
        deviceNo: '661234567890',
        branchId: 'lang',
        invoiceType: 'E_VAT_SPECIAL',
        period: '2026-10',
        device: { count: 1, amount: '817.52', taxAmount: '106.28' },
        ledger: { count: 0, amount: '0.00', taxAmount: '0.00' },
        authority: null,
      },
    });
    await h.publishFinding(report);
    await pollUntil(
      () => h.log(`findingId=${report.findingId}`),
      (items) => items.length === 2 && items.every((i) => i.status === 'sent'),
      { what: 'both emails sent' },
    );
    const link = `https://console.example.com/findings/${report.findingId}`;

    const [zh] = h.mail('lang-zh@example.com');
    expect(zh.subject).toBe('【发票同步·警告】抄报汇总与账簿不一致 南山门店1号盘');
    expect(zh.text).toContain(
      '说明: 开票设备“南山门店1号盘”（分支机构 lang，机器编号 661234567890）2026年10月的抄报汇总中增值税电子专用发票为1张、金额合计 817.52 元（税额 106.28 元），但我方账簿为0张、金额合计 0.00 元（税额 0.00 元）。',
    );
    expect(zh.text).toContain(`查看详情: ${link}`);
    expect(zh.html).toContain(`href="${link}"`);
    for (const leak of ['dev_6C0EWSW5upoMGTco', 'E_VAT_SPECIAL', 'monthly summary', '/v1/findings']) {
      expect(`${zh.subject}\n${zh.text}\n${zh.html}`).not.toContain(leak);
    }

    const [en] = h.mail('lang-en@example.com');
    expect(en.subject).toBe('【Invoice Sync·Warning】Monthly summary differs from the books 南山门店1号盘');
    expect(en.text).toContain(
      `Explanation: Device "南山门店1号盘" (branch lang, device no. 661234567890)'s monthly summary (抄报) for October 2026 shows 1 invoice totalling ¥817.52 (tax ¥106.28) of type electronic VAT special invoice, but our ledger has 0 invoices totalling ¥0.00 (tax ¥0.00).`,
    );
    expect(en.text).toContain(`View details: ${link}`);
    expect(en.text).not.toContain('E_VAT_SPECIAL');
    expect(en.text).not.toContain('dev_6C0EWSW5upoMGTco');
  });
});
