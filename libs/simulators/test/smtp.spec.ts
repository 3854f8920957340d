import nodemailer from 'nodemailer';
import { startSandbox, type RunningSandbox } from '../src/sandbox';
import { eventually } from './support/http-client';

describe('SMTP sink', () => {
  let sandbox: RunningSandbox;
  const transport = (auth?: { user: string; pass: string }) =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port: sandbox.smtp.port,
      secure: false,
      ignoreTLS: true,
      auth,
      connectionTimeout: 2000,
      greetingTimeout: 2000,
      socketTimeout: 2000,
    });

  beforeAll(async () => {
    sandbox = await startSandbox({ smtp: { auth: { user: 'notifier', pass: 'mail-pass' } } });
  });
  afterAll(() => sandbox.close());

  it('receives a real message with a Chinese subject and body, parsed and listed over HTTP', async () => {
    const info = await transport({ user: 'notifier', pass: 'mail-pass' }).sendMail({
      from: '"发票同步" <alerts@example.com>',
      to: 'finance@example.com, 财务 <cfo@example.com>',
      subject: '【发票异常】3张发票未在税局系统中',
      text: '以下发票尚未在税局系统中找到：\n1. 035002300111 / 12345678',
      html: '<p>以下发票尚未在<b>税局系统</b>中找到</p>',
      headers: { 'X-Finding-Id': 'F-1' },
    });
    const mail = await eventually(() => sandbox.control.mail({ to: 'cfo@example.com' })[0]);
    expect(mail).toMatchObject({
      messageId: info.messageId,
      from: 'alerts@example.com',
      to: ['finance@example.com', 'cfo@example.com'],
      subject: '【发票异常】3张发票未在税局系统中',
      envelope: { mailFrom: 'alerts@example.com', rcptTo: ['finance@example.com', 'cfo@example.com'] },
    });
    expect(mail.text).toContain('尚未在税局系统中找到');
    expect(mail.html).toContain('<b>税局系统</b>');
    expect(mail.headers['x-finding-id']).toBe('F-1');
    expect(sandbox.control.mail().map((m) => m.subject)).toContain('【发票异常】3张发票未在税局系统中');
  });

  it('requires AUTH when configured', async () => {
    await expect(
      transport({ user: 'notifier', pass: 'wrong' }).sendMail({
        from: 'a@example.com',
        to: 'b@example.com',
        text: 'x',
      }),
    ).rejects.toMatchObject({ responseCode: 535 });
    await expect(
      transport().sendMail({ from: 'a@example.com', to: 'b@example.com', text: 'x' }),
    ).rejects.toBeDefined();
    expect(sandbox.control.state().smtp.authFailures).toBeGreaterThanOrEqual(1);
  });
});
