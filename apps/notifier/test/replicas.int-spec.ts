import { ManualClock } from '@lib/common';
import { CreateInbox1763800000001, CreateOutbox1763800000000 } from '@lib/messaging';
import { createServiceDataSource, prepareSchema } from '@lib/persistence';
import { dropSchema, testDatabaseUrl, uniqueName } from '@lib/testing';
import { FindingRepository } from '../src/findings/finding.repository';
import { NotificationQueueRepository } from '../src/notifications/notification-queue.repository';
import { NotificationRepository } from '../src/notifications/notification.repository';
import { loadNotifierConfig } from '../src/notifier.config';
import { NOTIFIER_MIGRATIONS } from '../src/persistence/migrations';
import { RecipientRepository } from '../src/routing/recipient.repository';
import { RuleRepository } from '../src/routing/rule.repository';
import { EscalateFindingsUseCase } from '../src/use-cases/escalate-findings/escalate-findings.use-case';
import { finding, TAX_NO } from './support/notifier-harness';

/** What several notifier replicas share through PostgreSQL: claims and escalations never happen twice. */
describe('notifier queue and scheduler with concurrent replicas (real PostgreSQL)', () => {
  const schema = uniqueName('notifier_rep');
  const dataSource = createServiceDataSource({
    url: testDatabaseUrl(),
    schema,
    migrations: [CreateOutbox1763800000000, CreateInbox1763800000001, ...NOTIFIER_MIGRATIONS],
    poolSize: 8,
  });
  const clock = new ManualClock('2026-03-10T02:00:00Z');
  const queue = new NotificationQueueRepository(dataSource);
  const notifications = new NotificationRepository(dataSource);
  const findings = new FindingRepository(dataSource);
  const recipients = new RecipientRepository(dataSource);

  beforeAll(async () => {
    await dataSource.initialize();
    await prepareSchema(dataSource, schema);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await dropSchema(schema);
  });

  const draft = (i: number) => ({
    dedupeKey: `test:claim:${i}`,
    kind: 'test' as const,
    channel: 'email' as const,
    recipientId: null,
    destination: `r${i}@example.com`,
    language: 'zh-CN' as const,
    findingId: null,
    severity: null,
    level: null,
    status: 'queued' as const,
    dueAt: clock.now(),
  });

  it('never hands one notification to two senders, and takes over an expired claim as "was sending"', async () => {
    const ids = await notifications.insert(
      dataSource.manager,
      Array.from({ length: 40 }, (_, i) => draft(i)),
      clock.now(),
    );
    expect(await notifications.insert(dataSource.manager, [draft(0)], clock.now())).toEqual([]); // same key: skipped
    const claims = await Promise.all(
      [1, 2, 3, 4].map(() => queue.claimDue('email', 15, clock.now(), 60_000)),
    );
    const claimed = claims.flat().map((n) => n.id);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.sort()).toEqual([...ids].sort());
    expect(claims.flat().every((n) => !n.wasSending)).toBe(true);

    expect(await queue.claimDue('email', 100, clock.now(), 60_000)).toEqual([]);
    const later = new Date(clock.now().getTime() + 61_000);
    const takenOver = await queue.claimDue('email', 100, later, 60_000);
    expect(takenOver).toHaveLength(40);
    expect(takenOver.every((n) => n.wasSending && n.claims === 2)).toBe(true);
  });

  it('escalates each due finding once however many replicas run the scheduler at the same time', async () => {
    const at = clock.now();
    for (const [name, level] of [
      ['l1', 1],
      ['l2', 2],
    ] as const) {
      await recipients.save(dataSource.manager, {
        id: name,
        name,
        email: `${name}@example.com`,
        mobile: null,
        language: 'zh-CN',
        quietHours: null,
        active: true,
        scopes: [{ taxNo: TAX_NO, branchId: 'rp', level }],
        createdAt: at,
        updatedAt: at,
      });
    }
    const due = [1, 2, 3, 4, 5].map(() =>
      finding(clock, {
        branchId: 'rp',
        severity: 'critical',
        type: 'CLEAR_CARD_OVERDUE',
        invoice: null,
        deviceId: 'D',
      }),
    );
    await dataSource.transaction(async (manager) => {
      for (const f of due) {
        await findings.upsert(manager, { ...f, invoice: null, deviceId: 'D', evidence: {} }, at);
        await findings.setEscalation(manager, f.findingId, 1, at);
      }
    });
    const config = loadNotifierConfig({ NOTIFIER_ESCALATION_MAX_LEVEL: '2' });
    const replica = () =>
      new EscalateFindingsUseCase(
        dataSource,
        findings,
        notifications,
        recipients,
        new RuleRepository(dataSource),
        config,
        clock,
      );
    const recorded = await Promise.all([replica(), replica(), replica()].map((r) => r.execute()));
    expect(recorded.reduce((a, b) => a + b, 0)).toBe(5);
    const rows = (await dataSource.query(
      `SELECT finding_id, recipient_id, level FROM notifications WHERE kind = 'escalation'`,
    )) as {
      recipient_id: string;
      level: number;
    }[];
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.recipient_id === 'l2' && r.level === 2)).toBe(true);
    expect(await replica().execute()).toBe(0); // level 2 is the top: nothing further is scheduled
  });
});
