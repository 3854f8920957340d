import { ManualClock } from '@lib/common';
import { ALL_DLQ_TOPICS, dlqOf, TOPICS } from '@lib/contracts';
import { pollUntil } from '@lib/testing';
import { problemIdOf } from '../src/sync/sync-problem.model';
import { deadLetterRecord, publishSyncResult, syncResult } from './support/alert-sources';
import { NotifierHarness, person, TAX_NO } from './support/notifier-harness';

jest.setTimeout(180_000);

const sentLog = (items: { status: string }[], n: number) =>
  items.length === n && items.every((i) => i.status === 'sent');
const BURST = 10_000;
const OTHER_TAX_NO = '91110000MA01ABCD2E';

/**
 * Sync dead deliveries and dead-letter arrivals, end to end: real Kafka, PostgreSQL, and the sandbox's SMTP sink
 * and SMS gateway. The clock is frozen at 10:00 in Shanghai.
 */
describe('notifier alerts from sync results and dead-letter topics (Kafka + PostgreSQL + sandbox SMTP/SMS)', () => {
  const clock = new ManualClock('2026-03-10T02:00:00Z');
  const h = new NotifierHarness(clock);

  beforeAll(async () => {
    await h.start();
    await h.addRecipient(person('br-acct', 'sz', 1, { mobile: '13800000011' }));
    await h.addRecipient(person('fin-region', '*', 2, { mobile: '13800000012' }));
    await h.addRecipient({
      ...person('ops-group', '*', 3),
      scopes: [{ taxNo: '*', branchId: '*', level: 3 }],
    });
  });
  afterAll(() => h.stop());

  it('tells the taxpayer-wide person of a dead delivery once by email and SMS, however often it is delivered', async () => {
    const dead = syncResult(clock.now());
    const eventId = await publishSyncResult(h, dead);
    await publishSyncResult(h, dead, eventId); // redelivery: same envelope id
    await publishSyncResult(h, dead); // the same result republished under a new id
    const problemId = problemIdOf(dead);
    await pollUntil(
      () => h.log(`findingId=${problemId}`),
      (l) => sentLog(l, 2),
      { what: 'email and sms sent' },
    );
    await pollUntil(
      () => h.metric('kafka_messages_handled_total', { topic: `${h.prefix}${TOPICS.syncResults}` }),
      (n) => n === 3,
      { what: 'all three deliveries handled' },
    );

    const [mail] = h.mail('fin-region@example.com');
    expect(h.mail('fin-region@example.com')).toHaveLength(1);
    expect(mail.subject).toBe(`【发票同步·紧急】发票未能送达税局 ${dead.invoiceKey}`);
    expect(mail.text).toContain('错误: TARGET_UNAVAILABLE: 税局接口连续超时');
    expect(mail.text).toContain(`请求编号: ${dead.requestId}`);
    expect(mail.headers['x-sync-problem-id']).toBe(problemId);
    expect(h.sms('13800000012').map((s) => s.content)).toEqual([
      expect.stringContaining(`紧急，发票未能送达税局 ${dead.invoiceKey}`),
    ]);
    // A result names no branch: the branch accountant is not the one to tell, nor group ops.
    expect(h.mail('br-acct@example.com')).toHaveLength(0);
    expect(h.sms('13800000011')).toHaveLength(0);
    expect(h.mail('ops-group@example.com')).toHaveLength(0);
    expect(await h.log(`findingId=${problemId}`)).toEqual([
      expect.objectContaining({ kind: 'sync_alert', channel: 'email', severity: 'critical', level: 2 }),
      expect.objectContaining({ kind: 'sync_alert', channel: 'sms', severity: 'critical', level: 2 }),
    ]);
  });

  it('tells a refusal by email only, and costs an accepted result nothing but its inbox row', async () => {
    const rejected = syncResult(clock.now(), { outcome: 'rejected', errorCode: 'INVALID_BUYER_TAX_NO' });
    await publishSyncResult(h, rejected);
    await pollUntil(
      () => h.log(`findingId=${problemIdOf(rejected)}`),
      (l) => sentLog(l, 1),
      { what: 'refusal emailed' },
    );
    expect(h.mail('fin-region@example.com')[1].subject).toBe(
      `【发票同步·警告】税局拒绝接收发票 ${rejected.invoiceKey}`,
    );
    expect(h.sms('13800000012')).toHaveLength(1);

    const before = await h.query<{ n: string }>('SELECT count(*) AS n FROM notifications');
    await publishSyncResult(
      h,
      syncResult(clock.now(), { outcome: 'accepted', errorCode: null, errorMessage: null }),
    );
    await publishSyncResult(h, syncResult(clock.now(), { outcome: 'relayed', relayedVia: 'baiwang' }));
    await pollUntil(
      () => h.metric('kafka_messages_handled_total', { topic: `${h.prefix}${TOPICS.syncResults}` }),
      (n) => n === 6,
      { what: 'accepted and relayed handled' },
    );
    expect(await h.query('SELECT count(*) AS n FROM notifications')).toEqual(before);
    expect(await h.query('SELECT count(*)::int AS n FROM sync_problems')).toEqual([{ n: 2 }]);
  });

  it('cancels a waiting alert when the invoice reaches the target after all', async () => {
    const created = await h.api('POST', '/v1/rules', {
      findingType: 'SYNC_REJECTED',
      minSeverity: 'warning',
      channels: ['sms'],
      priority: 10,
    });
    expect(created.status).toBe(201);
    await h.addRecipient({
      name: 'quiet',
      mobile: '13800000013',
      quietHours: { start: '08:00', end: '20:00' },
      scopes: [{ taxNo: OTHER_TAX_NO, branchId: '*', level: 1 }],
    });
    const rejected = syncResult(clock.now(), { taxNo: OTHER_TAX_NO, outcome: 'rejected', errorCode: 'E1' });
    await publishSyncResult(h, rejected);
    const problemId = problemIdOf(rejected);
    const [waiting] = await pollUntil(
      () => h.log(`findingId=${problemId}`),
      (l) => l.length === 1,
      { what: 'sms held for quiet hours' },
    );
    expect(waiting).toMatchObject({ channel: 'sms', status: 'queued', dueAt: '2026-03-10T12:00:00.000Z' });

    const later = new Date(clock.now().getTime() + 60_000);
    await publishSyncResult(h, {
      ...rejected,
      outcome: 'accepted',
      requestId: 'REQ-again',
      at: later.toISOString(),
    });
    await pollUntil(
      () =>
        h.query<{ resolved_by: string | null }>(
          'SELECT resolved_by FROM sync_problems WHERE problem_id = $1',
          [problemId],
        ),
      (r) => r[0]?.resolved_by === 'accepted:REQ-again',
      { what: 'problem resolved' },
    );
    clock.set('2026-03-10T12:00:01Z');
    await pollUntil(
      () => h.log(`findingId=${problemId}`),
      (l) => l[0]?.status === 'cancelled',
      { what: 'held sms cancelled' },
    );
    expect((await h.log(`findingId=${problemId}`))[0].lastError.code).toBe('SYNC_RESOLVED');
    expect(h.sms('13800000013')).toHaveLength(0);
    expect((await h.api('DELETE', `/v1/rules/${created.body.id}`)).status).toBe(204);
  });

  it('turns a burst of dead letters on every DLQ topic into one email to group level, after the window', async () => {
    clock.set('2026-03-11T02:00:00Z');
    const codes = ['SCHEMA_VIOLATION', 'BAD_JSON'];
    const records = Array.from({ length: BURST }, (_, i) => {
      const dlq = ALL_DLQ_TOPICS[i % ALL_DLQ_TOPICS.length];
      // Every topic gets both codes, whatever the number of topics (i % 2 alone gives one code per topic when it is even).
      const code = codes[Math.floor(i / ALL_DLQ_TOPICS.length) % 2];
      return { dlq, code, record: deadLetterRecord(dlq.replace(/\.dlq$/, ''), i, code) };
    });
    const publishAll = async (rs: typeof records) => {
      for (const dlq of ALL_DLQ_TOPICS) {
        const mine = rs.filter((r) => r.dlq === dlq).map((r) => r.record);
        for (let i = 0; i < mine.length; i += 1000) await h.publish(dlq, mine.slice(i, i + 1000));
      }
    };
    await publishAll(records);
    await pollUntil(
      () => h.query<{ n: number }>('SELECT count(*)::int AS n FROM dead_letters'),
      (r) => r[0].n === BURST,
      { what: 'every arrival recorded', timeoutMs: 150_000, intervalMs: 500 },
    );
    // The same records dead-lettered again (a crash before the offset commit) are the same arrivals.
    await publishAll(records.slice(0, 100));
    await pollUntil(
      () =>
        h.metric('kafka_messages_handled_total', { group: `${h.prefix}notifier-dlq`, outcome: 'duplicate' }),
      (n) => n === 100,
      { what: 'duplicates skipped' },
    );
    expect(await h.query('SELECT count(*)::int AS n FROM dead_letters')).toEqual([{ n: BURST }]);
    const waiting = await h.log('findingId=dlq@2026-03-11T02:00:00.000Z');
    expect(waiting).toEqual([
      expect.objectContaining({ kind: 'dead_letters', channel: 'email', status: 'queued', level: 3 }),
    ]);
    expect(h.mail('ops-group@example.com')).toHaveLength(0);

    clock.set('2026-03-11T02:10:06Z');
    const [digest] = await pollUntil(
      () => h.mail('ops-group@example.com'),
      (m) => m.length === 1,
      { what: 'one dead-letter email' },
    );
    expect(digest.subject).toBe(`【发票同步·运维】${BURST}条消息进入死信队列 2026-03-11 10:00`);
    for (const dlq of ALL_DLQ_TOPICS)
      for (const code of codes) {
        const n = records.filter((r) => r.dlq === dlq && r.code === code).length;
        expect(n).toBeGreaterThan(0);
        expect(digest.text).toContain(`${dlq} ${code}: ${n}条`);
      }
    expect(digest.text).toContain(`${dlqOf(TOPICS.invoiceEvents)} · SCHEMA_VIOLATION · 消息ID`);
    expect(
      await h.query('SELECT count(*)::int AS n FROM notifications WHERE kind = $1', ['dead_letters']),
    ).toEqual([{ n: 1 }]);
    expect(h.mail('fin-region@example.com')).toHaveLength(2);
    expect(TAX_NO).not.toBe(OTHER_TAX_NO);

    // Arrivals are kept for NOTIFIER_DLQ_RETENTION_DAYS (30), then the scheduler prunes them in batches.
    clock.set('2026-04-10T02:00:00Z');
    await h.tick();
    expect(await h.query('SELECT count(*)::int AS n FROM dead_letters')).toEqual([{ n: BURST }]);
    clock.set('2026-04-10T02:10:01Z');
    await pollUntil(
      async () => {
        await h.tick();
        return h.query<{ n: number }>('SELECT count(*)::int AS n FROM dead_letters');
      },
      (r) => r[0].n === 0,
      { what: 'arrivals pruned' },
    );
    expect(h.mail('ops-group@example.com')).toHaveLength(1);
  });
});
