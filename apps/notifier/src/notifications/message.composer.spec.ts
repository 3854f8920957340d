import { ManualClock } from '@lib/common';
import { FindingChanged } from '@lib/contracts';
import { FindingRepository } from '../findings/finding.repository';
import { loadNotifierConfig } from '../notifier.config';
import { MessageComposer } from './message.composer';
import { NotificationRow } from './notification.model';
import { NotificationQueueRepository } from './notification-queue.repository';

const data = (state: FindingChanged['state']): FindingChanged => ({
  findingId: 'F-1',
  type: 'DEVICE_LOCK_IMMINENT',
  state,
  previousState: null,
  severity: 'critical',
  taxNo: 'T1',
  branchId: 'sz',
  period: '2026-02',
  invoice: null,
  deviceId: 'DEV-1',
  explanation: '锁死日期为3月15日',
  evidence: {},
  createdAt: '2026-03-10T02:00:00Z',
  updatedAt: '2026-03-10T02:00:00Z',
});
const row = (over: Partial<NotificationRow>): NotificationRow =>
  ({
    id: '9',
    message_ref: 'nref',
    kind: 'alert',
    channel: 'email',
    destination: 'a@example.com',
    language: 'zh-CN',
    finding_id: 'F-1',
    level: 1,
    ...over,
  }) as NotificationRow;

function composer(state: FindingChanged['state'], env: Record<string, string> = {}) {
  const findings = {
    get: async () => ({ findingId: 'F-1', data: data(state), escalationLevel: 1, nextEscalationAt: null }),
  };
  return new MessageComposer(
    findings as unknown as FindingRepository,
    {} as NotificationQueueRepository,
    loadNotifierConfig({ NOTIFIER_FINDING_URL_BASE: 'https://app.example.com/findings/', ...env }),
    new ManualClock(),
  );
}

describe('MessageComposer', () => {
  it('addresses an email with the stable Message-ID, link and finding header', async () => {
    const message = await composer('open').compose(row({}));
    expect(message).toMatchObject({
      channel: 'email',
      email: {
        messageId: '<nref@notifier.invoice-sync.local>',
        to: 'a@example.com',
        headers: { 'X-Finding-Id': 'F-1', 'X-Notification-Id': '9' },
      },
    });
    expect(message.channel === 'email' && message.email.text).toContain(
      'https://app.example.com/findings/F-1',
    );
  });

  it('uses the OutId and, for English readers, the English template when one is registered', async () => {
    const zhTemplate = await composer('open').compose(
      row({ channel: 'sms', destination: '13800138000', language: 'en' }),
    );
    expect(zhTemplate).toMatchObject({
      channel: 'sms',
      sms: { templateCode: 'SMS_INVOICE_ALERT', outId: 'nref' },
    });
    const en = composer('open', {
      NOTIFIER_SMS_TEMPLATE_ALERT_EN: 'SMS_EN',
      NOTIFIER_SMS_TEMPLATE_ALERT_EN_CONTENT: '${count} alert(s): ${summary}',
    });
    expect(
      await en.compose(row({ channel: 'sms', destination: '13800138000', language: 'en' })),
    ).toMatchObject({ sms: { templateCode: 'SMS_EN' } });
  });

  it('announces nothing for a finding resolved while its message waited', async () => {
    expect(await composer('resolved').compose(row({}))).toEqual({
      channel: 'none',
      reason: 'FINDING_RESOLVED',
    });
  });
});
