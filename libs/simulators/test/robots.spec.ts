import { createHmac } from 'node:crypto';
import { SandboxCounters } from '../src/core/counters';
import { DingtalkRobotService } from '../src/robots/dingtalk-robot.service';
import { FeishuRobotService } from '../src/robots/feishu-robot.service';
import { WecomRobotService } from '../src/robots/wecom-robot.service';

/** The robot simulators' rules, on an injected clock. */
describe('robot simulators', () => {
  let now = Date.parse('2026-03-10T02:00:00Z');
  const clock = () => now;
  const text = (content: string) => ({ msgtype: 'text', text: { content } });

  it('WeCom: 20 a minute per robot (a sliding minute), 45009 beyond; limits per robot, not overall', () => {
    const wecom = new WecomRobotService(
      () => ({
        robots: [
          { name: 'a', key: 'ka' },
          { name: 'b', key: 'kb' },
        ],
        limit: 20,
        windowMs: 60_000,
      }),
      new SandboxCounters(),
      clock,
    );
    for (let i = 0; i < 20; i += 1) expect(wecom.send('ka', text(`m${i}`), 10).body.errcode).toBe(0);
    expect(wecom.send('ka', text('m20'), 10).body.errcode).toBe(45009);
    expect(wecom.send('kb', text('other robot'), 10).body.errcode).toBe(0);
    now += 59_999;
    expect(wecom.send('ka', text('still within the minute'), 10).body.errcode).toBe(45009);
    now += 2;
    expect(wecom.send('ka', text('a minute later'), 10).body.errcode).toBe(0);
    expect(
      wecom.send('ka', { msgtype: 'markdown', markdown: { content: 'x'.repeat(4097) } }, 5000).body.errcode,
    ).toBe(40058);
    expect(
      wecom.send('ka', { msgtype: 'text', text: { content: '字'.repeat(683) } }, 3000).body.errcode,
    ).toBe(40058);
  });

  it('DingTalk: the signature and its hour, then throttled for throttleMs after the 21st', () => {
    const secret = 'SECs';
    const ding = new DingtalkRobotService(
      () => ({
        robots: [{ name: 'a', accessToken: 't', secret }],
        limit: 20,
        windowMs: 60_000,
        throttleMs: 600_000,
        timestampWindowMs: 3_600_000,
      }),
      new SandboxCounters(),
      clock,
    );
    const signed = (at: number) => ({
      access_token: 't',
      timestamp: String(at),
      sign: createHmac('sha256', secret).update(`${at}\n${secret}`).digest('base64'),
    });
    expect(ding.send({ ...signed(now), sign: 'AAAA' }, text('x'), 10).body).toMatchObject({
      errcode: 310000,
    });
    expect(ding.send(signed(now - 3_600_001), text('x'), 10).body).toMatchObject({
      errcode: 310000,
      errmsg: 'invalid timestamp',
    });
    expect(ding.send({ ...signed(now), access_token: 'x' }, text('x'), 10).body).toMatchObject({
      errcode: 300001,
    });
    expect(ding.send(signed(now), text('x'), 20_001).body).toMatchObject({ errcode: 460101 });
    for (let i = 0; i < 20; i += 1) expect(ding.send(signed(now), text(`m${i}`), 10).body.errcode).toBe(0);
    expect(ding.send(signed(now), text('m20'), 10).body.errcode).toBe(130101);
    now += 61_000; // the minute has passed, the throttle has not
    expect(ding.send(signed(now), text('m21'), 10).body.errcode).toBe(130101);
    now += 600_000;
    expect(ding.send(signed(now), text('m22'), 10).body.errcode).toBe(0);
    expect(ding.list()).toHaveLength(21);
  });

  it('Feishu: seconds timestamp and signature (19021), 5 a second, 20 KB bodies (9499)', () => {
    const secret = 'fs';
    const feishu = new FeishuRobotService(
      () => ({
        robots: [{ name: 'a', token: 'hook', secret }],
        perMinute: 100,
        perSecond: 5,
        timestampWindowMs: 3_600_000,
      }),
      new SandboxCounters(),
      clock,
    );
    const body = (at = Math.floor(now / 1000)) => ({
      timestamp: String(at),
      sign: createHmac('sha256', `${at}\n${secret}`).digest('base64'),
      msg_type: 'text',
      content: { text: 'hi' },
    });
    expect(feishu.send('hook', { ...body(), sign: 'bad' }, 10).body.code).toBe(19021);
    expect(feishu.send('hook', body(Math.floor(now / 1000) + 3601), 10).body.code).toBe(19021);
    expect(feishu.send('nope', body(), 10).body.code).toBe(19001);
    expect(feishu.send('hook', body(), 20 * 1024 + 1)).toMatchObject({
      httpStatus: 400,
      body: { code: 9499 },
    });
    for (let i = 0; i < 5; i += 1) expect(feishu.send('hook', body(), 100).body.code).toBe(0);
    expect(feishu.send('hook', body(), 100).body.code).toBe(11232);
    now += 1_001;
    expect(feishu.send('hook', body(), 100).body.code).toBe(0);
  });
});
