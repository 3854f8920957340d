import { ManualClock } from '@lib/common';
import { FindingChanged, MaintenanceChanged } from '@lib/contracts';
import {
  contentLimit,
  NOTIFICATION_CHANNELS,
  isRobotChannel,
  ROBOT_LIMITS,
  utf8Bytes,
} from '@lib/notifications';
import { DeadLetterRepository } from '../dead-letters/dead-letter.repository';
import { MaintenanceWindowRepository } from '../maintenance/maintenance-window.repository';
import { deadLetterWindowRef } from '../dead-letters/dead-letter.model';
import { FindingRepository } from '../findings/finding.repository';
import { loadNotifierConfig } from '../notifier.config';
import { LANGUAGES } from '../routing/routing.model';
import { SyncProblem } from '../sync/sync-problem.model';
import { SyncProblemRepository } from '../sync/sync-problem.repository';
import { KIND_SUBJECT, MessageComposer } from './message.composer';
import { NOTIFICATION_KINDS, NotificationRow } from './notification.model';
import { NotificationQueueRepository } from './notification-queue.repository';

const AT = '2026-03-10T02:00:00Z';

/** A finding with a long explanation, so that size limits are actually tested. */
const finding = (id: string, explanation = '锁死日期为3月15日'): FindingChanged => ({
  findingId: id,
  type: 'DEVICE_LOCK_IMMINENT',
  state: 'open',
  previousState: null,
  severity: 'critical',
  taxNo: '91440300MA5XXXXX1',
  branchId: 'sz',
  period: '2026-02',
  invoice: null,
  deviceId: 'DEV-1',
  explanation,
  evidence: {},
  createdAt: AT,
  updatedAt: AT,
});
const problem: SyncProblem = {
  problemId: 'sync-abc',
  result: {
    invoiceKey: '044031900111-12345678',
    taxNo: 'T1',
    target: 'authority',
    outcome: 'dead',
    requestId: 'REQ-1',
    errorCode: 'TARGET_UNAVAILABLE',
    errorMessage: '超时'.repeat(3000),
    attempts: 8,
    targetRecordId: null,
    relayedVia: null,
    at: AT,
  },
  resolvedAt: null,
  resolvedBy: null,
};
const windowStart = new Date('2026-03-10T01:50:00Z');

/** Every collaborator answers with plenty: 400 findings in a digest, long texts, many dead-letter groups. */
const WINDOW_ID = '6f1c1f5e-8a0b-4d57-9a51-6a0e3b1f2c11';
/** A long reason and many taxpayers, so every channel's limit is put to the test. */
const maintenance = {
  get: async (): Promise<MaintenanceChanged> => ({
    windowId: WINDOW_ID,
    change: 'changed',
    revision: 1,
    state: 'scheduled',
    target: 'authority',
    startsAt: '2026-03-20T14:00:00Z',
    endsAt: '2026-03-20T22:00:00Z',
    reason: '金税系统升级，'.repeat(60),
    taxNos: Array.from({ length: 200 }, (_, i) => `91440300MA5${String(i).padStart(7, '0')}`),
    cancelReason: '升级推迟',
    actor: { kind: 'person', subject: 'u-1', name: '王芳' },
    updatedAt: '2026-03-10T02:00:00Z',
  }),
};

function composer(env: Record<string, string> = {}) {
  const many = Array.from({ length: 400 }, (_, i) =>
    finding(`F-${i}`, '发票金额与税局记录不一致'.repeat(20)),
  );
  const findings = {
    get: async () => ({
      findingId: 'F-1',
      data: finding('F-1', '很长的说明'.repeat(2000)),
      escalationLevel: 1,
    }),
    many: async () => new Map(many.map((f) => [f.findingId, { findingId: f.findingId, data: f }])),
  };
  const queue = { digestItems: async () => many.map((f, i) => ({ id: String(i), finding_id: f.findingId })) };
  const deadLetters = {
    summary: async () => ({
      total: 5000,
      groups: Array.from({ length: 300 }, (_, i) => ({
        dlqTopic: `topic-${i}.v1.dlq`,
        errorCode: 'BAD_JSON',
        count: 10,
      })),
      samples: [],
    }),
  };
  return new MessageComposer(
    findings as unknown as FindingRepository,
    queue as unknown as NotificationQueueRepository,
    { get: async () => problem } as unknown as SyncProblemRepository,
    deadLetters as unknown as DeadLetterRepository,
    maintenance as unknown as MaintenanceWindowRepository,
    loadNotifierConfig({ NOTIFIER_CONSOLE_URL: 'https://app.example.com/', ...env }),
    new ManualClock(AT),
  );
}

const row = (over: Partial<NotificationRow>): NotificationRow =>
  ({
    id: '9',
    message_ref: 'nref',
    destination: 'x',
    level: 2,
    created_at: new Date(AT),
    ...over,
  }) as NotificationRow;

const subjectOf = (kind: NotificationRow['kind']): string | null =>
  kind === 'sync_alert'
    ? 'sync-abc'
    : kind === 'dead_letters'
      ? deadLetterWindowRef(windowStart)
      : kind.startsWith('maintenance_')
        ? `maintenance:${WINDOW_ID}:r1`
        : 'F-1';

const destinationOf = (channel: string) =>
  channel === 'email' ? 'cfo@example.com' : channel === 'sms' ? '13800138000' : 'finance';

describe('message templates (kind × channel table)', () => {
  it('has a row for every notification kind', () => {
    expect(Object.keys(KIND_SUBJECT).sort()).toEqual([...NOTIFICATION_KINDS].sort());
  });

  for (const format of ['markdown', 'text'] as const) {
    for (const kind of NOTIFICATION_KINDS) {
      for (const channel of NOTIFICATION_CHANNELS) {
        for (const language of LANGUAGES) {
          it(`renders ${kind} on ${channel} (${language}, robots as ${format}) within the channel's limit`, async () => {
            const message = await composer({ NOTIFIER_ROBOT_FORMAT: format }).compose(
              row({
                kind,
                channel,
                language,
                destination: destinationOf(channel),
                finding_id: subjectOf(kind),
              }),
            );
            expect(message.channel).toBe(channel);
            if (message.channel === 'email') {
              expect(message.email.subject.length).toBeGreaterThan(0);
              expect(message.email.text.length).toBeGreaterThan(0);
            } else if (message.channel === 'sms') {
              expect(message.segments).toBeLessThanOrEqual(2);
            } else if (message.channel !== 'none' && isRobotChannel(message.channel)) {
              const { robot } = message;
              expect(robot).toMatchObject({ robot: 'finance', format, ref: 'nref' });
              expect(robot.title.length).toBeGreaterThan(0);
              expect(utf8Bytes(robot.text)).toBeLessThanOrEqual(contentLimit(message.channel, format));
              if (message.channel !== 'wecom')
                expect(utf8Bytes(robot.text) + utf8Bytes(robot.title)).toBeLessThan(
                  ROBOT_LIMITS[message.channel].body,
                );
              // Chinese readers read Chinese, English readers English.
              if (language === 'zh-CN') expect(robot.text).toMatch(/[\u4e00-\u9fff]/);
              else expect(robot.title).toMatch(/[A-Za-z]/);
            }
          });
        }
      }
    }
  }

  it('writes markdown for the robots by default: a heading, bold labels and the console link', async () => {
    const message = await composer().compose(
      row({
        kind: 'alert',
        channel: 'dingtalk',
        language: 'zh-CN',
        destination: 'finance',
        finding_id: 'F-1',
      }),
    );
    expect(message.channel === 'dingtalk' && message.robot.text).toMatch(/^### /);
    expect(message.channel === 'dingtalk' && message.robot.text).toContain('**说明**');
    expect(message.channel === 'dingtalk' && message.robot.text).toContain(
      'https://app.example.com/findings/F-1',
    );
  });

  it('says an escalation is one, in the reader language', async () => {
    const en = await composer().compose(
      row({
        kind: 'escalation',
        channel: 'feishu',
        language: 'en',
        destination: 'finance',
        finding_id: 'F-1',
      }),
    );
    expect(en.channel === 'feishu' && en.robot.title).toContain('escalated to level 2');
  });
});
