import { connect, type Socket } from 'node:net';
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

  it('goes on when a client goes away in the middle of a message (a sender killed during DATA)', async () => {
    // The data stream then fails ("Connection closed before the message was received in full"): unhandled, that
    // rejection ended the whole sandbox process while the cluster suite killed a notifier mid-send.
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const socket = connect(sandbox.smtp.port, '127.0.0.1');
      const replies = smtpReplies(socket);
      await replies.next('220');
      socket.write('EHLO killed.example\r\n');
      await replies.next('250 ');
      socket.write(`AUTH PLAIN ${Buffer.from('\0notifier\0mail-pass').toString('base64')}\r\n`);
      await replies.next('235');
      socket.write('MAIL FROM:<alerts@example.com>\r\n');
      await replies.next('250');
      socket.write('RCPT TO:<finance@example.com>\r\n');
      await replies.next('250');
      socket.write('DATA\r\n');
      await replies.next('354');
      socket.write('Subject: half\r\n\r\nthe first half of');
      socket.destroy();
      await new Promise((r) => setTimeout(r, 300));
      expect(unhandled).toEqual([]);
      await transport({ user: 'notifier', pass: 'mail-pass' }).sendMail({
        from: 'alerts@example.com',
        to: 'after@example.com',
        text: 'still here',
      });
      expect(sandbox.control.mail({ to: 'after@example.com' })).toHaveLength(1);
      expect(sandbox.control.mail().some((m) => m.subject === 'half')).toBe(false);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});

/** The server's replies, line by line: `next(code)` waits for the next line starting with `code`. */
function smtpReplies(socket: Socket): { next: (code: string) => Promise<string> } {
  let buffered = '';
  const waiting: { code: string; done: (line: string) => void }[] = [];
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf('\r\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      if (waiting[0] && line.startsWith(waiting[0].code)) waiting.shift()!.done(line);
    }
  });
  return { next: (code) => new Promise((done) => waiting.push({ code, done })) };
}
