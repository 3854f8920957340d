import { randomUUID } from 'node:crypto';
import { ManualClock } from '@lib/common';
import { buildEnvelope, EventDataInput, toKafkaMessage, TOPICS } from '@lib/contracts';
import { pollUntil } from '@lib/testing';
import { NotifierHarness } from './support/notifier-harness';

jest.setTimeout(120_000);

const HOUR = 3_600_000;
const TAX = '91440300MA5F8Q2K7X';
type Window = EventDataInput<'maintenance.changed'>;

/**
 * Maintenance notices end to end (Kafka + PostgreSQL + the sandbox's SMTP sink, SMS gateway and WeCom robot), on a
 * ManualClock: a window is told when announced, again 24 h before its start and when it ends, each exactly once
 * however often its event is delivered; a change supersedes the earlier notices; a cancellation is told once.
 */
describe('notifier: maintenance notices', () => {
  const clock = new ManualClock('2026-11-18T02:00:00Z');
  const h = new NotifierHarness(clock);

  const window = (over: Partial<Window> = {}): Window => ({
    windowId: randomUUID(),
    change: 'announced',
    revision: 1,
    state: 'scheduled',
    target: 'authority',
    startsAt: '2026-11-20T14:00:00Z',
    endsAt: '2026-11-20T22:00:00Z',
    reason: '金税系统升级',
    taxNos: [TAX],
    actor: { kind: 'person', subject: 'admin-1', name: '系统管理员' },
    updatedAt: clock.now().toISOString(),
    ...over,
  });
  /** Publishes a change; `id` given again is a redelivery, a new one a republication of the same change. */
  const publish = async (data: Window, id: string = randomUUID()) => {
    const message = toKafkaMessage(
      buildEnvelope('maintenance.changed', data, { id, source: 'reconcile', occurredAt: clock.now() }),
    );
    await h.publish(TOPICS.reconcileMaintenance, [message]);
    return id;
  };
  const notices = (windowId: string) =>
    h.query<{ kind: string; channel: string; status: string; finding_id: string; due_at: Date }>(
      `SELECT kind, channel, status, finding_id, due_at FROM notifications WHERE finding_id LIKE $1 ORDER BY due_at, kind, channel`,
      [`maintenance:${windowId}:%`],
    );
  const subjects = (to: string) => h.mail(to).map((m) => m.subject);

  beforeAll(async () => {
    await h.start({ NOTIFIER_MAINTENANCE_LEAD_MS: String(24 * HOUR) });
    const rule = await h.api('POST', '/v1/rules', {
      findingType: 'MAINTENANCE',
      minSeverity: 'info',
      channels: ['email', 'sms', 'wecom'],
      level: 1,
      mode: 'immediate',
      priority: 20,
    });
    expect(rule.status).toBe(201);
    await h.addRecipient({
      name: '集团税务',
      email: 'tax@example.com',
      mobile: '13900139001',
      robots: { wecom: 'finance' },
      scopes: [{ taxNo: TAX, branchId: '*', level: 1 }],
    });
    // responsible for another taxpayer only: not told of a window that concerns TAX alone
    await h.addRecipient({ name: '北京财务', email: 'bj@example.com', scopes: [{ taxNo: '91110000MA01ABCD1X', branchId: '*', level: 1 }] });
  });
  afterAll(() => h.stop());

  it('announcement now, reminder 24 h before the start, end notice at the end: each once, despite redelivery and republication', async () => {
    const w = window();
    const id = await publish(w);
    await publish(w, id); // redelivered
    await publish(w); // republished under a new envelope id
    await pollUntil(() => Promise.resolve(subjects('tax@example.com')), (s) => s.length === 1, { timeoutMs: 30_000, what: 'the announcement' });
    expect(subjects('tax@example.com')[0]).toBe('【发票同步·维护】税局系统维护通知 2026-11-20 22:00 – 2026-11-21 06:00');
    await pollUntil(() => Promise.resolve(h.sms('13900139001')), (s) => s.length === 1, { timeoutMs: 30_000, what: 'the SMS' });
    await pollUntil(() => Promise.resolve(h.sandbox.control.robots('wecom')), (r) => r.length === 1, { timeoutMs: 30_000, what: 'the robot' });
    expect(h.sandbox.control.robots('wecom')[0].content).toContain('金税系统升级');
    expect(h.mail('bj@example.com')).toHaveLength(0);
    const scheduled = await notices(w.windowId);
    expect(scheduled.map((n) => `${n.kind}/${n.channel}`)).toEqual([
      'maintenance_announced/email', 'maintenance_announced/sms', 'maintenance_announced/wecom',
      'maintenance_reminder/email', 'maintenance_reminder/sms', 'maintenance_reminder/wecom',
      'maintenance_ended/email', 'maintenance_ended/sms', 'maintenance_ended/wecom',
    ]);
    expect(scheduled.find((n) => n.kind === 'maintenance_reminder')?.due_at.toISOString()).toBe('2026-11-19T14:00:00.000Z');

    clock.set('2026-11-19T13:59:00Z');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(h.mail('tax@example.com')).toHaveLength(1);
    clock.set('2026-11-19T14:00:01Z');
    await pollUntil(() => Promise.resolve(subjects('tax@example.com')), (s) => s.length === 2, { timeoutMs: 30_000, what: 'the reminder' });
    expect(subjects('tax@example.com')[1]).toContain('税局系统维护即将开始');

    clock.set('2026-11-20T22:00:01Z');
    await pollUntil(() => Promise.resolve(subjects('tax@example.com')), (s) => s.length === 3, { timeoutMs: 30_000, what: 'the end notice' });
    expect(subjects('tax@example.com')[2]).toContain('税局系统维护已结束');
    await pollUntil(() => Promise.resolve(h.sms('13900139001')), (s) => s.length === 3, { timeoutMs: 30_000, what: 'three SMS' });
    await publish(w, id); // a late redelivery changes nothing
    await new Promise((r) => setTimeout(r, 1_500));
    expect(h.mail('tax@example.com')).toHaveLength(3);
    expect(h.sms('13900139001')).toHaveLength(3);
    expect(h.sandbox.control.robots('wecom')).toHaveLength(3);
    expect((await notices(w.windowId)).every((n) => n.status === 'sent')).toBe(true);
  });

  it('a change supersedes the earlier notices; a cancellation is told once and nothing more follows', async () => {
    await h.sandbox.control.reset();
    clock.set('2026-11-21T02:00:00Z');
    const w = window({ target: 'baiwang', startsAt: '2026-11-25T00:00:00Z', endsAt: '2026-11-25T04:00:00Z', reason: '百望云升级' });
    await publish(w);
    await pollUntil(() => Promise.resolve(subjects('tax@example.com')), (s) => s.length === 1, { timeoutMs: 30_000, what: 'the announcement' });

    const changed = { ...w, change: 'changed' as const, revision: 2, startsAt: '2026-11-26T00:00:00Z', endsAt: '2026-11-26T04:00:00Z', updatedAt: clock.now().toISOString() };
    await publish(changed);
    await pollUntil(() => Promise.resolve(subjects('tax@example.com')), (s) => s.length === 2, { timeoutMs: 30_000, what: 'the change' });
    expect(subjects('tax@example.com')[1]).toBe('【发票同步·维护】百望云维护时间变更 2026-11-26 08:00 – 2026-11-26 12:00');
    await publish(w); // the old revision again: ignored

    const cancelled = { ...changed, change: 'cancelled' as const, revision: 3, state: 'cancelled' as const, cancelReason: '升级推迟' };
    const id = await publish(cancelled);
    await publish(cancelled, id);
    await pollUntil(() => Promise.resolve(subjects('tax@example.com')), (s) => s.length === 3, { timeoutMs: 30_000, what: 'the cancellation' });
    expect(subjects('tax@example.com')[2]).toContain('百望云维护已取消');
    expect(h.mail('tax@example.com')[2].text).toContain('取消原因: 升级推迟');

    // past every reminder and end: the superseded and cancelled notices are dropped, not sent
    clock.set('2026-11-27T00:00:00Z');
    await pollUntil(
      () => notices(w.windowId),
      (rows) => rows.every((n) => n.status === 'sent' || n.status === 'cancelled'),
      { timeoutMs: 30_000, what: 'every notice settled' },
    );
    expect(h.mail('tax@example.com')).toHaveLength(3);
    expect(h.sandbox.control.robots('wecom')).toHaveLength(3);
    const rows = await notices(w.windowId);
    expect(rows.filter((n) => n.status === 'sent').map((n) => n.kind).sort()).toEqual([
      'maintenance_announced', 'maintenance_announced', 'maintenance_announced',
      'maintenance_cancelled', 'maintenance_cancelled', 'maintenance_cancelled',
      'maintenance_changed', 'maintenance_changed', 'maintenance_changed',
    ]);
    expect(rows.filter((n) => n.status === 'cancelled')).toHaveLength(12);
  });
});
