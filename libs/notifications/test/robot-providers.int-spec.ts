import { ManualClock, SystemClock } from '@lib/common';
import {
  ChannelDeliveryError,
  dingtalkSign,
  DingtalkRobotProvider,
  FeishuRobotProvider,
  RobotMessage,
  WecomRobotProvider,
} from '../src';
import { DEV_CREDENTIALS, startSandbox, type RunningSandbox } from './support/sandbox';

/** The three group-robot adapters against the sandbox's robots, which enforce the platforms' real rules. */
describe('group robot providers (sandbox robots)', () => {
  let sandbox: RunningSandbox;
  const base = () => ({ endpoint: sandbox.robots.url, timeoutMs: 2_000, breaker: { volumeThreshold: 100 } });
  const wecom = (key = DEV_CREDENTIALS.wecom.key) =>
    new WecomRobotProvider({ ...base(), robots: { finance: { key } } });
  const dingtalk = (secret = DEV_CREDENTIALS.dingtalk.secret, clock = new SystemClock()) =>
    new DingtalkRobotProvider(
      { ...base(), robots: { finance: { accessToken: DEV_CREDENTIALS.dingtalk.accessToken, secret } } },
      clock,
    );
  const feishu = (secret = DEV_CREDENTIALS.feishu.secret, clock = new SystemClock()) =>
    new FeishuRobotProvider(
      { ...base(), robots: { finance: { token: DEV_CREDENTIALS.feishu.token, secret } } },
      clock,
    );
  const msg = (text: string, format: RobotMessage['format'] = 'markdown'): RobotMessage => ({
    robot: 'finance',
    format,
    title: '发票异常',
    text,
    ref: 'n1',
  });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: ChannelDeliveryError) => error,
    );

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'notifier-robots', logLevel: 'silent' });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.control.reset());

  it('delivers markdown and text to each platform, recorded once each', async () => {
    const providers = [wecom(), dingtalk(), feishu()];
    for (const p of providers) {
      await expect(p.send(msg('**紧急** 发票 A-1 金额不符'))).resolves.toMatchObject({
        response: '0 finance',
      });
      await p.send(msg('plain text', 'text'));
      await p.close();
    }
    expect(sandbox.control.robots('wecom').map((m) => [m.msgtype, m.content])).toEqual([
      ['markdown', '**紧急** 发票 A-1 金额不符'],
      ['text', 'plain text'],
    ]);
    expect(sandbox.control.robots('dingtalk')[0]).toMatchObject({ msgtype: 'markdown', title: '发票异常' });
    expect(sandbox.control.robots('feishu').map((m) => m.msgtype)).toEqual(['interactive', 'text']);
    const state = sandbox.control.state();
    expect([state.wecom.messages, state.dingtalk.messages, state.feishu.messages]).toEqual([2, 2, 2]);
  });

  it('refuses a bad signature, key or stale timestamp with the platform codes, as permanent failures', async () => {
    const badKey = wecom('not-a-key');
    expect(await failure(badKey.send(msg('x')))).toMatchObject({ outcome: 'rejected', code: 'WECOM_93000' });
    const badDing = dingtalk('SECwrong');
    expect(await failure(badDing.send(msg('x')))).toMatchObject({
      outcome: 'rejected',
      code: 'DINGTALK_310000',
    });
    const staleDing = dingtalk(undefined, new ManualClock(new Date(Date.now() - 2 * 3_600_000)));
    expect(await failure(staleDing.send(msg('x')))).toMatchObject({
      code: 'DINGTALK_310000',
      message: expect.stringContaining('invalid timestamp'),
    });
    const badFeishu = feishu('wrong');
    expect(await failure(badFeishu.send(msg('x')))).toMatchObject({
      outcome: 'rejected',
      code: 'FEISHU_19021',
    });
    const staleFeishu = feishu(undefined, new ManualClock(new Date(Date.now() + 2 * 3_600_000)));
    expect(await failure(staleFeishu.send(msg('x')))).toMatchObject({ code: 'FEISHU_19021' });
    expect(sandbox.control.state().dingtalk.signatureFailures).toBe(1);
    expect(sandbox.control.robots('dingtalk')).toHaveLength(0);
    await Promise.all([badKey, badDing, staleDing, badFeishu, staleFeishu].map((p) => p.close()));
  });

  it('answers the 21st WeCom message of a minute with 45009, and takes it again once the window has passed', async () => {
    sandbox.control.settings.robots.wecom.windowMs = 1_500;
    const provider = wecom();
    for (let i = 0; i < 20; i += 1) await provider.send(msg(`m${i}`));
    expect(await failure(provider.send(msg('m20')))).toMatchObject({
      outcome: 'not_sent',
      code: 'WECOM_RATE_LIMITED',
    });
    expect(provider.isAvailable()).toBe(true);
    await new Promise((r) => setTimeout(r, 1_600));
    await expect(provider.send(msg('m20'))).resolves.toMatchObject({ response: '0 finance' });
    expect(sandbox.control.robots('wecom')).toHaveLength(21);
    sandbox.control.settings.robots.wecom.windowMs = 60_000;
    await provider.close();
  });

  it('limits DingTalk to 20 a minute and Feishu to 5 a second', async () => {
    const ding = dingtalk();
    for (let i = 0; i < 20; i += 1) await ding.send(msg(`d${i}`));
    expect(await failure(ding.send(msg('d20')))).toMatchObject({ code: 'DINGTALK_RATE_LIMITED' });
    const fs = feishu();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => failure(fs.send(msg(`f${i}`)))));
    expect(results.filter((r) => r?.code === 'FEISHU_RATE_LIMITED')).toHaveLength(1);
    await Promise.all([ding.close(), fs.close()]);
  });

  it('the simulators refuse an oversize message with the real codes', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${sandbox.robots.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    const wecomAnswer = await post(`/cgi-bin/webhook/send?key=${DEV_CREDENTIALS.wecom.key}`, {
      msgtype: 'markdown',
      markdown: { content: '票'.repeat(1366) }, // 4098 bytes
    });
    expect(wecomAnswer.body).toMatchObject({ errcode: 40058 });
    const ts = Date.now();
    const q = new URLSearchParams({
      access_token: DEV_CREDENTIALS.dingtalk.accessToken,
      timestamp: String(ts),
      sign: dingtalkSign(DEV_CREDENTIALS.dingtalk.secret, ts),
    });
    const dingAnswer = await post(`/robot/send?${q}`, {
      msgtype: 'text',
      text: { content: 'x'.repeat(20_001) },
    });
    expect(dingAnswer.body).toMatchObject({ errcode: 460101 });
    const feishuAnswer = await post(`/open-apis/bot/v2/hook/${DEV_CREDENTIALS.feishu.token}`, {
      msg_type: 'text',
      content: { text: 'x'.repeat(21 * 1024) },
    });
    expect(feishuAnswer).toMatchObject({ status: 400, body: { code: 9499 } });
    expect(sandbox.control.robots('wecom')).toHaveLength(0);
  });

  it('an outage of one robot platform is not_sent; its breaker opens without touching the others', async () => {
    sandbox.control.setFaults('wecom', { outage: { mode: 'unavailable' } });
    const provider = new WecomRobotProvider({
      ...base(),
      breaker: { volumeThreshold: 2 },
      robots: { finance: { key: DEV_CREDENTIALS.wecom.key } },
    });
    expect(await failure(provider.send(msg('x')))).toMatchObject({
      outcome: 'not_sent',
      code: 'WECOM_HTTP_503',
    });
    await failure(provider.send(msg('x')));
    await failure(provider.send(msg('x')));
    expect(provider.isAvailable()).toBe(false);
    const ding = dingtalk();
    await expect(ding.send(msg('still fine'))).resolves.toMatchObject({ response: '0 finance' });
    await Promise.all([provider.close(), ding.close()]);
  });
});
