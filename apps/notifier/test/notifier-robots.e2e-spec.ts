import { SystemClock } from '@lib/common';
import { pollUntil } from '@lib/testing';
import { DEV_CREDENTIALS } from './support/sandbox';
import { finding, NotifierHarness } from './support/notifier-harness';

jest.setTimeout(90_000);

const TAX = '91440300MA5F8Q2K7X';
type Item = { status: string; channel: string; attempts: number; lastError: { code: string } | null };

/**
 * Group robots end to end: a finance team reached by email, SMS and its WeCom, DingTalk and Feishu groups. A
 * failing robot never holds up the other channels, a rate-limited one is retried, and each message arrives once.
 */
describe('notifier: group robots (Kafka + PostgreSQL + sandbox robots)', () => {
  const clock = new SystemClock();
  const h = new NotifierHarness(clock);

  beforeAll(async () => {
    await h.start({ NOTIFIER_ROBOT_RATE_LIMIT_RETRY_MS: '300' });
    const rule = await h.api('POST', '/v1/rules', {
      findingType: null,
      minSeverity: 'critical',
      channels: ['email', 'sms', 'wecom', 'dingtalk', 'feishu'],
      level: 1,
      mode: 'immediate',
      priority: 10,
    });
    expect(rule.status).toBe(201);
    await h.addRecipient({
      name: '华南财务组',
      email: 'south@example.com',
      mobile: '13900139000',
      robots: { wecom: 'finance', dingtalk: 'finance', feishu: 'finance' },
      scopes: [{ taxNo: TAX, branchId: 'south', level: 1 }],
    });
  });
  afterAll(() => h.stop());
  beforeEach(() => h.sandbox.control.reset());

  const itemsOf = async (findingId: string) => (await h.log(`findingId=${findingId}`)) as unknown as Item[];
  const byChannel = (items: Item[], channel: string) => items.find((i) => i.channel === channel);

  it('a WeCom outage holds only WeCom; email, SMS and the other robots go out, then WeCom once', async () => {
    h.sandbox.control.setFaults('wecom', { outage: { mode: 'unavailable', durationMs: 60_000 } });
    const f = finding(clock, { severity: 'critical', branchId: 'south', type: 'DEVICE_LOCK_IMMINENT' });
    await h.publishFinding(f);

    const others = await pollUntil(
      () => itemsOf(f.findingId),
      (items) =>
        items.length === 5 &&
        ['email', 'sms', 'dingtalk', 'feishu'].every((c) => byChannel(items, c)?.status === 'sent') &&
        // WeCom between two attempts (a poll may also catch it mid-attempt, `sending`: that is not the state to judge)
        (byChannel(items, 'wecom')?.attempts ?? 0) > 0 &&
        byChannel(items, 'wecom')?.status !== 'sending',
      {
        timeoutMs: 30_000,
        what: 'email, SMS, DingTalk and Feishu sent while WeCom waits for its next attempt',
      },
    );
    expect(byChannel(others, 'wecom')).toMatchObject({ status: 'queued' });
    expect(byChannel(others, 'wecom')?.lastError?.code).toMatch(/^(WECOM_HTTP_503|BREAKER_OPEN)$/);
    expect(h.sandbox.control.robots('wecom')).toHaveLength(0);

    h.sandbox.control.clearFaults('wecom');
    await pollUntil(
      () => itemsOf(f.findingId),
      (items) => items.every((i) => i.status === 'sent'),
      { timeoutMs: 30_000, what: 'WeCom sent after the outage' },
    );
    // The same transition delivered again (a redelivery): nothing new is sent.
    await h.publishFinding(f);
    await new Promise((r) => setTimeout(r, 1_000));
    for (const platform of ['wecom', 'dingtalk', 'feishu'] as const) {
      const received = h.sandbox.control.robots(platform);
      expect(received).toHaveLength(1);
      expect(received[0].content).toContain('开票设备即将锁死');
    }
    expect(h.mail('south@example.com')).toHaveLength(1);
    expect(h.sms('13900139000')).toHaveLength(1);
    expect(await itemsOf(f.findingId)).toHaveLength(5);
  });

  it('a robot over its per-minute quota is retried after the wait and delivered once', async () => {
    Object.assign(h.sandbox.control.settings.robots.dingtalk, {
      limit: 1,
      windowMs: 1_000,
      throttleMs: 1_000,
    });
    try {
      const findings = [1, 2].map(() =>
        finding(clock, { severity: 'critical', branchId: 'south', type: 'DEVICE_LOCK_IMMINENT' }),
      );
      for (const f of findings) await h.publishFinding(f);
      const seen: string[] = [];
      await pollUntil(
        async () => {
          const items = (await Promise.all(findings.map((f) => itemsOf(f.findingId)))).flat();
          for (const i of items) if (i.lastError) seen.push(i.lastError.code);
          return items;
        },
        (items) => items.length === 10 && items.every((i) => i.status === 'sent'),
        { timeoutMs: 30_000, what: 'both findings sent on every channel' },
      );
      expect(seen).toContain('DINGTALK_RATE_LIMITED');
      expect(h.sandbox.control.state().dingtalk.faults.rateLimited).toBeGreaterThan(0);
      expect(h.sandbox.control.robots('dingtalk')).toHaveLength(2);
    } finally {
      Object.assign(h.sandbox.control.settings.robots.dingtalk, {
        limit: 20,
        windowMs: 60_000,
        throttleMs: 600_000,
      });
    }
  });

  it('stores and shows robot names, never credentials; a robot-only recipient is valid', async () => {
    const id = await h.addRecipient({
      name: '集团税务群',
      robots: { feishu: 'finance' },
      scopes: [{ taxNo: TAX, branchId: 'group', level: 1 }],
    });
    const shown = await h.api('GET', `/v1/recipients/${id}`);
    expect(shown.body.robots).toEqual({ wecom: null, dingtalk: null, feishu: 'finance' });
    const bad = await h.api('POST', '/v1/recipients', {
      name: 'x',
      robots: { wecom: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc' },
      scopes: [{ taxNo: TAX, level: 1 }],
    });
    expect(bad.status).toBe(400);
    const stored = await h.query<Record<string, unknown>>('SELECT * FROM recipients');
    const dump = JSON.stringify(stored);
    for (const secret of [
      DEV_CREDENTIALS.wecom.key,
      DEV_CREDENTIALS.dingtalk.secret,
      DEV_CREDENTIALS.feishu.secret,
    ])
      expect(dump).not.toContain(secret);
    const test = await h.api('POST', '/v1/test-send', { recipientId: id, channel: 'feishu' });
    expect(test.status).toBeLessThan(300);
    await pollUntil(
      async () => h.sandbox.control.robots('feishu'),
      (items) => items.length === 1,
      { what: 'the test message in the Feishu group' },
    );
  });
});
