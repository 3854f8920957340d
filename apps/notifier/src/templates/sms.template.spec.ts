import { FindingChanged } from '@lib/contracts';
import { smsSegments } from '@lib/notifications';
import { renderFindingSms } from './sms.template';

const template = { code: 'SMS_INVOICE_ALERT', content: '您有${count}条发票异常待处理：${summary}' };
const finding: FindingChanged = {
  findingId: 'F-1',
  type: 'DEVICE_LOCK_IMMINENT',
  state: 'open',
  previousState: null,
  severity: 'critical',
  taxNo: '91440300MA5F8Q2K7X',
  branchId: 'sz',
  period: '2026-02',
  invoice: null,
  deviceId: 'DEV-1',
  explanation: 'x',
  evidence: {},
  createdAt: '2026-03-10T02:00:00Z',
  updatedAt: '2026-03-10T02:00:00Z',
};

describe('SMS template', () => {
  it('fills the template and keeps the whole message within the segment budget', () => {
    for (const maxSegments of [1, 2, 3]) {
      const sms = renderFindingSms(finding, 'zh-CN', template, '发票同步', maxSegments);
      expect(sms.templateCode).toBe('SMS_INVOICE_ALERT');
      expect(sms.templateParams.count).toBe('1');
      expect(sms.preview.startsWith('【发票同步】您有1条发票异常待处理：紧急，开票设备即将锁死 DEV-1')).toBe(
        true,
      );
      expect(sms.segments).toBeLessThanOrEqual(maxSegments);
      expect(sms.segments).toBe(smsSegments(sms.preview));
    }
    const long = renderFindingSms(
      { ...finding, type: 'CLEAR_CARD_OVERDUE', deviceId: 'DEV-'.padEnd(40, 'X') },
      'zh-CN',
      template,
      '发票同步',
      1,
    );
    expect(long.templateParams.summary.endsWith('…')).toBe(true);
    expect([...long.preview]).toHaveLength(70);
  });

  it('writes the summary in English for English readers, marking an escalation', () => {
    const sms = renderFindingSms(finding, 'en', template, '发票同步', 3, 2);
    expect(sms.templateParams.summary).toMatch(
      /^\[escalated to level 2\]Critical, Invoicing device about to lock DEV-1, /,
    );
  });

  it('names the device by its name, not its internal id, when the evidence knows it', () => {
    const named = {
      ...finding,
      evidence: { deviceId: 'DEV-1', deviceName: '南山门店1号盘', lockDate: '2026-03-12', daysLeft: 2 },
    };
    const zh = renderFindingSms(named, 'zh-CN', template, '发票同步', 2);
    expect(zh.templateParams.summary).toMatch(/^紧急，开票设备即将锁死 南山门店1号盘，/);
    expect(zh.preview).not.toContain('DEV-1');
    expect(renderFindingSms(named, 'en', template, '发票同步', 2).templateParams.summary).toMatch(
      /^Critical, Invoicing device about to lock 南山门店1号盘, /,
    );
  });
});
