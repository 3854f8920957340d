import { createHmac } from 'node:crypto';
import { DEV_CREDENTIALS } from '@lib/simulators';
import { startSandboxProcess, type SandboxProcess } from '../src/sandbox-process';

/** A JSON answer, read loosely. */
type Json = { [key: string]: Json } & Record<string, unknown> & { items?: unknown[] };

/** The group robots as the sandbox process serves them: under `/robots` on the control port, listed and reset. */
describe('sandbox robots over HTTP', () => {
  let running: SandboxProcess;
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${running.control.url}/robots${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const control = async (method: string, path: string) => {
    const response = await fetch(`${running.control.url}/__sandbox${path}`, { method });
    return {
      status: response.status,
      body: response.status === 204 ? null : ((await response.json()) as Json),
    };
  };

  beforeAll(async () => {
    running = await startSandboxProcess({ controlPort: 0 });
  });
  afterAll(() => running.close());

  it('takes a signed Feishu card and a WeCom markdown, lists them per platform, counts and resets them', async () => {
    const ts = Math.floor(Date.now() / 1000);
    // Computed here, independently of the notifier's signing code.
    const sign = createHmac('sha256', `${ts}\n${DEV_CREDENTIALS.feishu.secret}`).digest('base64');
    expect(
      await post(`/open-apis/bot/v2/hook/${DEV_CREDENTIALS.feishu.token}`, {
        timestamp: String(ts),
        sign,
        msg_type: 'text',
        content: { text: '发票同步测试' },
      }),
    ).toMatchObject({ status: 200, body: { code: 0 } });
    expect(
      await post(`/open-apis/bot/v2/hook/${DEV_CREDENTIALS.feishu.token}`, {
        timestamp: String(ts - 7200),
        sign: createHmac('sha256', `${ts - 7200}\n${DEV_CREDENTIALS.feishu.secret}`).digest('base64'),
        msg_type: 'text',
        content: { text: 'stale' },
      }),
    ).toMatchObject({ body: { code: 19021 } });
    expect(
      await post(`/cgi-bin/webhook/send?key=${DEV_CREDENTIALS.wecom.key}`, {
        msgtype: 'markdown',
        markdown: { content: '**提醒**' },
      }),
    ).toMatchObject({ body: { errcode: 0, errmsg: 'ok' } });
    expect(
      await post('/cgi-bin/webhook/send?key=nope', { msgtype: 'text', text: { content: 'x' } }),
    ).toMatchObject({ body: { errcode: 93000 } });

    const feishu = await control('GET', '/robots/feishu');
    expect(feishu.body?.items).toEqual([
      expect.objectContaining({
        platform: 'feishu',
        robot: 'finance',
        msgtype: 'text',
        content: '发票同步测试',
      }),
    ]);
    expect((await control('GET', '/robots/wecom?robot=finance')).body?.items).toHaveLength(1);
    expect((await control('GET', '/robots/telegram')).status).toBe(404);
    const state = (await control('GET', '/state')).body!;
    expect(state.feishu).toMatchObject({ messages: 1, accepted: 1, signatureFailures: 1 });
    expect(state.wecom).toMatchObject({ messages: 1, authFailures: 1 });
    expect((await control('POST', '/reset')).status).toBe(204);
    expect((await control('GET', '/state')).body!.wecom.messages).toBe(0);
    expect((await control('GET', '/robots/wecom')).body?.items).toEqual([]);
  });
});
