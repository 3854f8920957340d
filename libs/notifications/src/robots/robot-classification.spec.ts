import { ManualClock } from '@lib/common';
import { ChannelDeliveryError } from '../delivery/delivery-failure';
import { DingtalkRobotProvider } from './dingtalk-robot.provider';
import { FeishuRobotProvider } from './feishu-robot.provider';
import { RobotMessage } from './robot-provider.port';
import { WecomRobotProvider } from './wecom-robot.provider';

const NOW = '2026-03-10T02:00:00.000Z';
const message: RobotMessage = { robot: 'finance', format: 'markdown', title: 't', text: 'hello', ref: 'n1' };

/** A fetch that answers `status` with `body`, or fails like undici does. */
function answering(status: number, body: unknown): typeof fetch {
  return (async () =>
    new Response(typeof body === 'string' ? body : JSON.stringify(body), { status })) as typeof fetch;
}
function failing(code: string): typeof fetch {
  return (async () => {
    throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
  }) as typeof fetch;
}
const settings = { endpoint: 'http://robots.test', timeoutMs: 1000, breaker: { volumeThreshold: 100 } };
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'sent',
    (e: ChannelDeliveryError) => ({
      outcome: e.outcome,
      code: e.code,
      retryAfterMs: e.retryAfterMs,
      message: e.message,
    }),
  );
const wecom = (f: typeof fetch) =>
  new WecomRobotProvider(
    { ...settings, robots: { finance: { key: 'KEY-SECRET-1' } } },
    new ManualClock(NOW),
    f,
  );
const dingtalk = (f: typeof fetch) =>
  new DingtalkRobotProvider(
    { ...settings, robots: { finance: { accessToken: 'TOKEN-SECRET-1', secret: 'SEC-1' } } },
    new ManualClock(NOW),
    f,
  );
const feishu = (f: typeof fetch) =>
  new FeishuRobotProvider(
    { ...settings, robots: { finance: { token: 'HOOK-SECRET-1', secret: 'S-1' } } },
    new ManualClock(NOW),
    f,
  );

describe('robot failure classification', () => {
  it('a rate limit is not sent, to retry after the platform minute', async () => {
    expect(
      await outcome(wecom(answering(200, { errcode: 45009, errmsg: 'api freq out of limit' })).send(message)),
    ).toMatchObject({
      outcome: 'not_sent',
      code: 'WECOM_RATE_LIMITED',
      retryAfterMs: 60_000,
    });
    expect(
      await outcome(dingtalk(answering(200, { errcode: 130101, errmsg: 'send too fast' })).send(message)),
    ).toMatchObject({
      outcome: 'not_sent',
      code: 'DINGTALK_RATE_LIMITED',
    });
    expect(
      await outcome(feishu(answering(200, { code: 11232, msg: 'frequency limited' })).send(message)),
    ).toMatchObject({
      outcome: 'not_sent',
      code: 'FEISHU_RATE_LIMITED',
    });
  });

  it('a refusal (bad key, bad signature, too long) is permanent', async () => {
    expect(
      await outcome(wecom(answering(200, { errcode: 93000, errmsg: 'invalid webhook url' })).send(message)),
    ).toMatchObject({
      outcome: 'rejected',
      code: 'WECOM_93000',
    });
    expect(
      await outcome(dingtalk(answering(200, { errcode: 310000, errmsg: 'sign not match' })).send(message)),
    ).toMatchObject({
      outcome: 'rejected',
      code: 'DINGTALK_310000',
    });
    expect(
      await outcome(feishu(answering(200, { code: 19021, msg: 'sign match fail' })).send(message)),
    ).toMatchObject({
      outcome: 'rejected',
      code: 'FEISHU_19021',
    });
    const long = { ...message, text: 'x'.repeat(4097) };
    expect(await outcome(wecom(answering(200, { errcode: 0 })).send(long))).toMatchObject({
      outcome: 'rejected',
      code: 'WECOM_TOO_LONG',
    });
    expect(
      await outcome(wecom(answering(200, { errcode: 0 })).send({ ...message, robot: 'nobody' })),
    ).toMatchObject({
      outcome: 'rejected',
      code: 'WECOM_ROBOT_UNKNOWN',
    });
  });

  it('no connection is not sent; a reset or a bare 500 is unknown (never resent); a 503 is not sent', async () => {
    expect(await outcome(wecom(failing('ECONNREFUSED')).send(message))).toMatchObject({
      outcome: 'not_sent',
      code: 'WECOM_ECONNREFUSED',
    });
    expect(await outcome(dingtalk(failing('ECONNRESET')).send(message))).toMatchObject({
      outcome: 'unknown',
      code: 'DINGTALK_ECONNRESET',
    });
    expect(await outcome(feishu(answering(500, 'Internal Server Error')).send(message))).toMatchObject({
      outcome: 'unknown',
      code: 'FEISHU_HTTP_500',
    });
    expect(await outcome(feishu(answering(503, 'Service Unavailable')).send(message))).toMatchObject({
      outcome: 'not_sent',
      code: 'FEISHU_HTTP_503',
    });
  });

  it('a call past its deadline is unknown', async () => {
    const hanging = ((_url: unknown, init: RequestInit) =>
      new Promise((_resolve, reject) =>
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      )) as typeof fetch;
    const provider = new WecomRobotProvider(
      { ...settings, timeoutMs: 50, robots: { finance: { key: 'K' } } },
      new ManualClock(NOW),
      hanging,
    );
    expect(await outcome(provider.send(message))).toMatchObject({
      outcome: 'unknown',
      code: 'WECOM_TIMEOUT',
    });
  });

  it('keeps keys, tokens and secrets out of every failure', async () => {
    const failures = [
      await outcome(wecom(answering(200, { errcode: 93000, errmsg: 'invalid webhook url' })).send(message)),
      await outcome(wecom(failing('ECONNREFUSED')).send(message)),
      await outcome(dingtalk(answering(200, { errcode: 310000, errmsg: 'x' })).send(message)),
      await outcome(feishu(answering(500, 'x')).send(message)),
    ];
    const text = JSON.stringify(failures);
    for (const secret of ['KEY-SECRET-1', 'TOKEN-SECRET-1', 'SEC-1', 'HOOK-SECRET-1'])
      expect(text).not.toContain(secret);
  });

  it('signs with the injected clock', async () => {
    let seen = '';
    const capture = (async (url: URL) => {
      seen = url.toString();
      return new Response(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
    }) as unknown as typeof fetch;
    await dingtalk(capture).send(message);
    expect(new URL(seen).searchParams.get('timestamp')).toBe(String(Date.parse(NOW)));
  });

  it('a breaker opened by outages fails fast without calling the platform; rate limits do not open it', async () => {
    let calls = 0;
    const down = (async () => {
      calls += 1;
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    }) as typeof fetch;
    const provider = new WecomRobotProvider(
      {
        ...settings,
        breaker: { volumeThreshold: 2, errorThresholdPercentage: 50 },
        robots: { finance: { key: 'K' } },
      },
      new ManualClock(NOW),
      down,
    );
    for (let i = 0; i < 3; i += 1) await outcome(provider.send(message));
    expect(provider.isAvailable()).toBe(false);
    const before = calls;
    expect(await outcome(provider.send(message))).toMatchObject({
      code: 'BREAKER_OPEN',
      outcome: 'not_sent',
    });
    expect(calls).toBe(before);
    await provider.close();

    const limited = new WecomRobotProvider(
      { ...settings, breaker: { volumeThreshold: 2 }, robots: { finance: { key: 'K' } } },
      new ManualClock(NOW),
      answering(200, { errcode: 45009, errmsg: 'api freq out of limit' }),
    );
    for (let i = 0; i < 5; i += 1) await outcome(limited.send(message));
    expect(limited.isAvailable()).toBe(true);
    await limited.close();
  });
});
