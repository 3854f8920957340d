import { ManualClock } from '@lib/common';
import { pollUntil } from '@lib/testing';
import { finding, NotifierHarness, person } from './support/notifier-harness';

jest.setTimeout(90_000);

const sentLog = (items: { status: string }[], n: number) =>
  items.length === n && items.every((i) => i.status === 'sent');

/**
 * Routing, rendering and exactly-once, with real Kafka, PostgreSQL, and the sandbox's SMTP sink and SMS gateway.
 * The clock is frozen at 10:00 in Shanghai.
 */
describe('notifier routing and delivery (Kafka + PostgreSQL + sandbox SMTP/SMS)', () => {
  const clock = new ManualClock('2026-03-10T02:00:00Z');
  const h = new NotifierHarness(clock);

  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('protects the admin API with the bearer token and documents it', async () => {
    expect((await h.api('GET', '/v1/rules', undefined, null)).status).toBe(401);
    expect((await h.api('GET', '/v1/rules', undefined, 'wrong')).status).toBe(401);
    const rules = await h.api('GET', '/v1/rules');
    expect(rules.body.items.map((r: { id: string }) => r.id).sort()).toEqual([
      'default-critical',
      'default-dead-letter',
      'default-info',
      'default-warning',
    ]);
    const bad = await h.api('POST', '/v1/recipients', { name: 'x', scopes: [] });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST' } } });
    const doc = (await (await fetch(`${h.baseUrl}/docs/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/recipients', '/v1/rules', '/v1/notifications', '/v1/test-send']),
    );
  });

  it('routes by branch and severity, falls back to the next level when a branch has nobody, and renders Chinese MIME', async () => {
    await h.addRecipient(person('sz-acct', 'sz', 1, { mobile: '13800000001' }));
    await h.addRecipient(person('gz-acct', 'gz', 1));
    await h.addRecipient(person('region', '*', 2, { language: 'en' }));
    const warning = finding(clock, {
      branchId: 'sz',
      explanation: '金额不符 <script>alert(1)</script> & 已标记',
    });
    const critical = finding(clock, {
      branchId: 'gz',
      severity: 'critical',
      type: 'DEVICE_LOCK_IMMINENT',
      invoice: null,
      deviceId: 'DEV-GZ-1',
    });
    const orphan = finding(clock, {
      branchId: 'sh',
      severity: 'critical',
      type: 'CLEAR_CARD_OVERDUE',
      invoice: null,
      deviceId: 'DEV-SH-9',
    });
    for (const f of [warning, critical, orphan]) await h.publishFinding(f);

    await pollUntil(
      () => h.log(`findingId=${warning.findingId}`),
      (l) => sentLog(l, 1),
      { what: 'warning sent' },
    );
    await pollUntil(
      () => h.log(`findingId=${critical.findingId}`),
      (l) => sentLog(l, 1),
      { what: 'critical sent' },
    );
    await pollUntil(
      () => h.log(`findingId=${orphan.findingId}`),
      (l) => sentLog(l, 1),
      { what: 'orphan sent to level 2' },
    );
    // A warning is email only (no SMS to sz-acct); gz-acct has no mobile; nobody at sh level 1 → regional finance.
    expect(h.sms('13800000001')).toHaveLength(0);
    expect(h.mail('gz-acct@example.com').map((m) => m.subject)).toEqual([
      expect.stringContaining('DEV-GZ-1'),
    ]);
    expect(h.mail('region@example.com').map((m) => m.subject)).toEqual([
      '【Invoice Sync·Critical】Device clear-card overdue DEV-SH-9',
    ]);

    const [mail] = h.mail('sz-acct@example.com');
    expect(mail.subject).toBe(`【发票同步·警告】发票未在税局系统中 044031900111-${warning.invoice!.number}`);
    expect(mail.headers.subject).toMatch(/^=\?UTF-8\?[BQ]\?/i);
    expect(mail.messageId).toMatch(/^<n[0-9a-f]{31}@notifier\.invoice-sync\.local>$/);
    expect(mail.text).toContain('说明: 金额不符 <script>alert(1)</script> & 已标记');
    expect(mail.text).toContain('系统已自动处理: 系统已自动向税局补传该发票');
    expect(mail.text).toContain('需要您处理: 如补传后仍未出现');
    expect(mail.text).toContain(`https://invoice-sync.example.com/findings/${warning.findingId}`);
    expect(mail.html).toContain('金额不符 &lt;script&gt;alert(1)&lt;/script&gt; &amp; 已标记');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('<meta charset="utf-8">');
    const [entry] = await h.log(`findingId=${warning.findingId}`);
    expect(entry).toMatchObject({
      channel: 'email',
      destination: 's***@example.com',
      provider: 'smtp',
      providerMessageId: mail.messageId,
    });
  });

  it('sends nothing twice for a redelivered or republished transition', async () => {
    const id = await h.addRecipient(person('dup', 'dp', 1, { mobile: '13800000002' }));
    const f = finding(clock, {
      branchId: 'dp',
      severity: 'critical',
      type: 'CLEAR_CARD_OVERDUE',
      invoice: null,
      deviceId: 'DEV-DP',
    });
    const eventId = await h.publishFinding(f);
    await h.publishFinding(f, eventId); // redelivery: same envelope id
    await h.publishFinding(f); // same transition republished under a new id
    await pollUntil(
      () => h.log(`recipient=${id}`),
      (l) => sentLog(l, 2),
      { what: 'email and sms sent' },
    );
    await h.publishFinding({
      ...f,
      state: 'remediating',
      previousState: 'open',
      updatedAt: new Date(clock.now().getTime() + 1000).toISOString(),
    });
    await pollUntil(
      () => h.query<{ state: string }>('SELECT state FROM findings WHERE finding_id = $1', [f.findingId]),
      (r) => r[0]?.state === 'remediating',
    );
    expect(h.mail('dup@example.com')).toHaveLength(1);
    expect(h.sms('13800000002')).toHaveLength(1);
    expect(await h.log(`recipient=${id}`)).toHaveLength(2);
  });

  it('test-sends through the real path', async () => {
    const id = await h.addRecipient({ ...person('tester', 'ts', 1), mobile: '13800000009' });
    const queued = await h.api('POST', '/v1/test-send', { recipientId: id, channel: 'sms' });
    expect(queued).toMatchObject({
      status: 202,
      body: { kind: 'test', status: 'queued', destination: '138****0009' },
    });
    await pollUntil(
      () => h.api('GET', `/v1/notifications/${queued.body.id}`),
      (r) => r.body.status === 'sent',
    );
    expect(h.sms('13800000009')[0].content).toContain('测试消息');
  });
});
