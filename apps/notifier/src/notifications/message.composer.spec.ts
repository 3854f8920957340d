import { ManualClock } from '@lib/common';
import { FindingChanged, MaintenanceChanged } from '@lib/contracts';
import { DeadLetterRepository } from '../dead-letters/dead-letter.repository';
import { MaintenanceWindowRepository } from '../maintenance/maintenance-window.repository';
import { FindingRepository } from '../findings/finding.repository';
import { loadNotifierConfig } from '../notifier.config';
import { MessageComposer } from './message.composer';
import { NotificationRow } from './notification.model';
import { NotificationQueueRepository } from './notification-queue.repository';
import { SyncProblem } from '../sync/sync-problem.model';
import { SyncProblemRepository } from '../sync/sync-problem.repository';

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

const problem = (resolvedAt: Date | null): SyncProblem => ({
  problemId: 'sync-abc',
  result: {
    invoiceKey: '044031900111-12345678',
    taxNo: 'T1',
    target: 'authority',
    outcome: 'dead',
    requestId: 'REQ-1',
    errorCode: 'TARGET_UNAVAILABLE',
    errorMessage: 'connect timeout',
    attempts: 8,
    targetRecordId: null,
    relayedVia: null,
    at: '2026-03-10T02:00:00Z',
  },
  resolvedAt,
  resolvedBy: resolvedAt ? 'accepted:REQ-2' : null,
});

const WINDOW_ID = '6f1c1f5e-8a0b-4d57-9a51-6a0e3b1f2c11';
const window: MaintenanceChanged = {
  windowId: WINDOW_ID,
  change: 'changed',
  revision: 2,
  state: 'scheduled',
  target: 'authority',
  startsAt: '2026-03-20T14:00:00Z',
  endsAt: '2026-03-20T22:00:00Z',
  reason: '金税系统升级',
  taxNos: ['T1'],
  cancelReason: null,
  actor: { kind: 'person', subject: 'u-1', name: '王芳' },
  updatedAt: '2026-03-10T02:00:00Z',
};
let stored: MaintenanceChanged | undefined = window;
const maintenance = { get: async (id: string) => (id === WINDOW_ID ? stored : undefined) };

function composer(
  state: FindingChanged['state'],
  env: Record<string, string> = {},
  sync: SyncProblem = problem(null),
  deadLetterTotal = 3,
) {
  const findings = {
    get: async () => ({ findingId: 'F-1', data: data(state), escalationLevel: 1, nextEscalationAt: null }),
  };
  const syncProblems = { get: async (id: string) => (id === sync.problemId ? sync : undefined) };
  const deadLetters = {
    summary: async () => ({
      total: deadLetterTotal,
      groups: deadLetterTotal
        ? [{ dlqTopic: 'invoice.events.v1.dlq', errorCode: 'BAD_JSON', count: deadLetterTotal }]
        : [],
      samples: [],
    }),
  };
  return new MessageComposer(
    findings as unknown as FindingRepository,
    {} as NotificationQueueRepository,
    syncProblems as unknown as SyncProblemRepository,
    deadLetters as unknown as DeadLetterRepository,
    maintenance as unknown as MaintenanceWindowRepository,
    loadNotifierConfig({ NOTIFIER_CONSOLE_URL: 'https://app.example.com/', ...env }),
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

  it('renders a sync alert from the stored problem, and cancels it once the invoice got through', async () => {
    const mail = await composer('open').compose(row({ kind: 'sync_alert', finding_id: 'sync-abc' }));
    expect(mail).toMatchObject({
      channel: 'email',
      email: {
        subject: '【发票同步·紧急】发票未能送达税局 044031900111-12345678',
        headers: { 'X-Sync-Problem-Id': 'sync-abc' },
      },
    });
    expect(mail.channel === 'email' && mail.email.text).toContain(
      '错误: TARGET_UNAVAILABLE: connect timeout',
    );
    const sms = await composer('open').compose(
      row({ kind: 'sync_alert', finding_id: 'sync-abc', channel: 'sms', destination: '13800138000' }),
    );
    expect(sms.channel === 'sms' && sms.sms.templateParams.summary).toMatch(
      /^紧急，发票未能送达税局 044031900111-12345678，/,
    );
    const resolved = composer('open', {}, problem(new Date('2026-03-10T03:00:00Z')));
    expect(await resolved.compose(row({ kind: 'sync_alert', finding_id: 'sync-abc' }))).toEqual({
      channel: 'none',
      reason: 'SYNC_RESOLVED',
    });
  });

  it('composes one dead-letter window from its arrivals, and nothing for an empty one', async () => {
    const window = row({ kind: 'dead_letters', finding_id: 'dlq@2026-03-10T02:00:00.000Z', language: 'en' });
    const mail = await composer('open').compose(window);
    expect(mail.channel === 'email' && mail.email.subject).toBe(
      '[Invoice Sync · Ops] 3 message(s) dead-lettered 2026-03-10 10:00',
    );
    expect(mail.channel === 'email' && mail.email.text).toContain('1. invoice.events.v1.dlq BAD_JSON: 3');
    expect(await composer('open', {}, problem(null), 0).compose(window)).toEqual({
      channel: 'none',
      reason: 'DEAD_LETTERS_NONE',
    });
  });

  describe('maintenance notices', () => {
    const notice = (over: Partial<NotificationRow>) =>
      row({ kind: 'maintenance_reminder', finding_id: `maintenance:${WINDOW_ID}:r2`, ...over });
    afterEach(() => {
      stored = window;
    });

    it('tells the window in Chinese by email (Beijing time), SMS and robot', async () => {
      const email = await composer('open').compose(notice({}));
      expect(email).toMatchObject({ channel: 'email', email: { subject: '【发票同步·维护】税局系统维护即将开始 2026-03-20 22:00 – 2026-03-21 06:00' } });
      expect(email.channel === 'email' && email.email.text).toContain('原因: 金税系统升级');
      const sms = await composer('open').compose(notice({ channel: 'sms', destination: '13800000000' }));
      expect(sms.channel === 'sms' && sms.sms.templateParams.summary).toBe('税局系统维护即将开始 2026-03-20 22:00 – 2026-03-21 06:00');
      const robot = await composer('open').compose(notice({ channel: 'wecom', destination: 'finance' }));
      expect(robot.channel === 'wecom' && robot.robot.text).toContain('涉及纳税人');
    });

    it('drops a notice of an earlier revision, and all but the cancellation of a cancelled window', async () => {
      expect(await composer('open').compose(notice({ finding_id: `maintenance:${WINDOW_ID}:r1` }))).toEqual({ channel: 'none', reason: 'MAINTENANCE_SUPERSEDED' });
      stored = { ...window, change: 'cancelled', state: 'cancelled', cancelReason: '升级推迟' };
      expect(await composer('open').compose(notice({ kind: 'maintenance_ended' }))).toEqual({ channel: 'none', reason: 'MAINTENANCE_CANCELLED' });
      const cancelled = await composer('open').compose(notice({ kind: 'maintenance_cancelled', language: 'en' }));
      expect(cancelled.channel === 'email' && cancelled.email.subject).toBe('[Invoice Sync · Maintenance] Maintenance of the tax authority\'s systems cancelled 2026-03-20 22:00 – 2026-03-21 06:00');
      expect(cancelled.channel === 'email' && cancelled.email.text).toContain('Why cancelled: 升级推迟');
    });
  });
});
