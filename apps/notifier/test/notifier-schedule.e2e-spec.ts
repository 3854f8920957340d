import { ManualClock } from '@lib/common';
import { pollUntil } from '@lib/testing';
import { finding, NotifierHarness, person } from './support/notifier-harness';

jest.setTimeout(90_000);

const HOUR = 3_600_000;
const sentLog = (items: { status: string }[], n: number) =>
  items.length === n && items.every((i) => i.status === 'sent');

/**
 * Time-driven flows (quiet hours, escalation, digests) with real Kafka, PostgreSQL, and the sandbox's SMTP sink
 * and SMS gateway. The clock is a ManualClock the tests move; the scheduler pass is run at each step.
 */
describe('notifier schedules (frozen clock; Kafka + PostgreSQL + sandbox SMTP/SMS)', () => {
  const clock = new ManualClock('2026-03-10T02:00:00Z');
  const h = new NotifierHarness(clock);

  beforeAll(() =>
    h.start({ NOTIFIER_ESCALATION_AFTER_MS: String(HOUR), NOTIFIER_DIGEST_INTERVAL_MS: String(HOUR) }),
  );
  afterAll(() => h.stop());

  it('holds a non-critical SMS during quiet hours but lets a critical one through', async () => {
    clock.set('2026-03-10T15:30:00Z'); // 23:30 in Shanghai
    const id = await h.addRecipient(
      person('night', 'qh', 1, { mobile: '13800000003', quietHours: { start: '22:00', end: '08:00' } }),
    );
    const rule = await h.api('POST', '/v1/rules', {
      findingType: 'OFFLINE_LIMIT_NEAR',
      minSeverity: 'warning',
      channels: ['email', 'sms'],
    });
    expect(rule.status).toBe(201);
    const offline = finding(clock, {
      branchId: 'qh',
      type: 'OFFLINE_LIMIT_NEAR',
      invoice: null,
      deviceId: 'DEV-QH',
    });
    const lock = finding(clock, {
      branchId: 'qh',
      type: 'DEVICE_LOCK_IMMINENT',
      severity: 'critical',
      invoice: null,
      deviceId: 'DEV-QH',
    });
    await h.publishFinding(offline);
    await h.publishFinding(lock);
    await pollUntil(
      () => h.log(`findingId=${lock.findingId}`),
      (l) => sentLog(l, 2),
      { what: 'critical email + sms' },
    );
    const held = await pollUntil(
      () => h.log(`findingId=${offline.findingId}&channel=sms`),
      (l) => l.length === 1,
    );
    expect(held[0]).toMatchObject({ status: 'queued', dueAt: '2026-03-11T00:00:00.000Z' }); // 08:00 Shanghai
    expect(h.sms('13800000003').map((s) => s.content)).toEqual([expect.stringContaining('开票设备即将锁死')]);

    clock.set('2026-03-11T00:01:00Z');
    await pollUntil(
      () => h.log(`recipient=${id}&channel=sms`),
      (l) => sentLog(l, 2),
      { what: 'held sms sent in the morning' },
    );
    const morning = h.sms('13800000003')[1];
    expect(morning.content).toContain('离线开票即将超限');
    expect(morning.segments).toBeLessThanOrEqual(2);
    expect(morning.outId).toMatch(/^n[0-9a-f]{31}$/);
  });

  it('escalates an unresolved critical finding level by level, and stops when it is resolved', async () => {
    clock.set('2026-03-11T02:00:00Z');
    await h.addRecipient(person('es-l1', 'es', 1));
    await h.addRecipient(person('es-l2', 'es', 2, { language: 'en' }));
    await h.addRecipient(person('es-l3', 'es', 3));
    const f = finding(clock, {
      branchId: 'es',
      severity: 'critical',
      type: 'CLEAR_CARD_OVERDUE',
      invoice: null,
      deviceId: 'DEV-ES',
    });
    await h.publishFinding(f);
    await pollUntil(
      () => h.log(`findingId=${f.findingId}`),
      (l) => sentLog(l, 1),
      { what: 'level 1 told' },
    );

    clock.advance(HOUR - 1000);
    await h.tick();
    expect(h.mail('es-l2@example.com')).toHaveLength(0);
    clock.advance(2000);
    await h.tick();
    await pollUntil(
      () => h.mail('es-l2@example.com'),
      (m) => m.length === 1,
      { what: 'level 2 told' },
    );
    expect(h.mail('es-l2@example.com')[0].subject).toContain('escalated to level 2');

    await h.publishFinding({
      ...f,
      state: 'resolved',
      previousState: 'open',
      updatedAt: clock.now().toISOString(),
    });
    await pollUntil(
      () =>
        h.query<{ next: Date | null }>(
          'SELECT next_escalation_at AS next FROM findings WHERE finding_id = $1',
          [f.findingId],
        ),
      (r) => r[0]?.next === null,
    );
    clock.advance(2 * HOUR);
    await h.tick();
    expect(h.mail('es-l3@example.com')).toHaveLength(0);
    // Level 1, then level 2 once; level 3 never (resolved first).
    const told = (await h.log(`findingId=${f.findingId}`)).map(
      (n: { kind: string; level: number }) => `${n.kind}:${n.level}`,
    );
    expect(told).toEqual(['alert:1', 'escalation:2']);
  });

  it('collects low-severity findings into one hourly digest per recipient', async () => {
    clock.set('2026-03-11T06:10:00Z');
    const id = await h.addRecipient(person('digest', 'dg', 1));
    const infos = [1, 2, 3].map(() =>
      finding(clock, { branchId: 'dg', severity: 'info', type: 'DUPLICATE_INVOICE' }),
    );
    for (const f of infos) await h.publishFinding(f);
    await pollUntil(
      () => h.log(`recipient=${id}&status=pending_digest`),
      (l) => l.length === 3,
      { what: 'items waiting' },
    );
    clock.set('2026-03-11T06:59:59Z');
    await h.tick();
    expect(await h.log(`recipient=${id}&status=pending_digest`)).toHaveLength(3);

    clock.set('2026-03-11T07:00:01Z');
    await h.tick();
    const [digest] = await pollUntil(
      () => h.mail('digest@example.com'),
      (m) => m.length === 1,
      { what: 'digest sent' },
    );
    expect(digest.subject).toContain('【发票同步】3条提示汇总');
    for (const f of infos) expect(digest.text).toContain(f.invoice!.number);
    expect((await h.log(`recipient=${id}&status=digested`)).length).toBe(3);
    await h.tick();
    expect(h.mail('digest@example.com')).toHaveLength(1);
  });
});
