import nodemailer from 'nodemailer';
import { buildSendSmsParams } from '@lib/protocols';
import { DEV_CREDENTIALS } from '../src/config/sandbox-options';
import { startSandbox, type RunningSandbox } from '../src/sandbox';
import { eventually, send } from './support/http-client';

describe('fault injection on SMTP and SMS', () => {
  let sandbox: RunningSandbox;
  const mail = (subject = 'hello') =>
    nodemailer
      .createTransport({
        host: '127.0.0.1',
        port: sandbox.smtp.port,
        secure: false,
        ignoreTLS: true,
        connectionTimeout: 500,
        greetingTimeout: 500,
        socketTimeout: 500,
      })
      .sendMail({ from: 'a@example.com', to: 'b@example.com', subject, text: 'x' });
  const failure = async (promise: Promise<unknown>): Promise<{ code?: string; responseCode?: number }> =>
    promise.then(
      () => ({}),
      (error: { code?: string; responseCode?: number }) => error,
    );

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'smtp' });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.control.reset());

  it('answers 421 during an unavailable outage and delivers afterwards', async () => {
    sandbox.control.setFaults('smtp', { outage: { durationMs: 300 } });
    expect((await failure(mail())).responseCode).toBe(421);
    await eventually(
      async () => ((await failure(mail('after'))).responseCode === undefined ? true : undefined),
      3000,
    );
    expect(sandbox.control.mail().map((m) => m.subject)).toContain('after');
  });

  it('refuses connections during a refuse outage', async () => {
    sandbox.control.setFaults('smtp', { outage: { mode: 'refuse', durationMs: 300 } });
    await eventually(async () => ((await failure(mail())).code === 'ESOCKET' ? true : undefined), 2000);
    await eventually(async () => ((await failure(mail('back'))).code === undefined ? true : undefined), 3000);
  });

  it('answers 451 on injected errors, delays on latency and hangs into a client timeout', async () => {
    sandbox.control.setFaults('smtp', { errorRate: 1 });
    expect((await failure(mail())).responseCode).toBe(451);
    sandbox.control.setFaults('smtp', { latency: { fixedMs: 200 } });
    const started = Date.now();
    await mail();
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
    sandbox.control.setFaults('smtp', { hang: {} });
    expect((await failure(mail())).code).toBe('ETIMEDOUT');
    expect(sandbox.control.state().smtp.faults).toMatchObject({ errors: 1, latency: 1, hangs: 1 });
  });

  it('rate-limits SMS with 429 and is unavailable with 503', async () => {
    const sms = () =>
      send<{ Code: string }>('POST', `${sandbox.urls.sms}/`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(
          buildSendSmsParams({
            accessKeyId: DEV_CREDENTIALS.sms.id,
            accessKeySecret: DEV_CREDENTIALS.sms.secret,
            phoneNumbers: '13800138000',
            signName: '发票同步',
            templateCode: 'SMS_DIGEST',
            templateParam: { date: '今日', summary: '无异常' },
          }),
        ).toString(),
      });
    sandbox.control.setFaults('sms', { rateLimit: { limit: 1, windowMs: 60_000 } });
    expect((await sms()).body.Code).toBe('OK');
    const limited = await sms();
    expect([limited.status, limited.body.Code]).toEqual([429, 'Throttling.User']);
    sandbox.control.setFaults('sms', { outage: { durationMs: 60_000 } });
    expect((await sms()).status).toBe(503);
  });
});
