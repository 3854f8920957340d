import { SMTPServer } from 'smtp-server';
import { startSandbox, type RunningSandbox } from './support/sandbox';
import { ChannelDeliveryError, SmtpEmailProvider } from '../src';

/** The SMTP adapter against the sandbox's real SMTP sink: MIME on the wire and failure classification. */
describe('SmtpEmailProvider (sandbox SMTP sink)', () => {
  let sandbox: RunningSandbox;
  let provider: SmtpEmailProvider;
  const message = (n: number) => ({
    messageId: `<n-${n}.test@notifier.local>`,
    from: '"发票同步" <alerts@example.com>',
    to: 'cfo@example.com',
    subject: `【发票异常】未在税局系统中找到发票 ${n}`,
    text: '以下发票尚未在税局系统中找到：12345678',
    html: '<p>以下发票尚未在<b>税局系统</b>中找到</p>',
  });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: ChannelDeliveryError) => error,
    );

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'notifier-smtp', logLevel: 'silent' });
    provider = new SmtpEmailProvider({
      host: '127.0.0.1',
      port: sandbox.smtp.port,
      secure: false,
      requireTls: false,
      rejectUnauthorized: true,
      user: '',
      password: '',
      maxConnections: 2,
      timeoutMs: 500,
      breaker: { volumeThreshold: 100 },
    });
  });
  afterAll(async () => {
    await provider.close();
    await sandbox.close();
  });
  beforeEach(() => sandbox.control.reset());

  it('sends UTF-8 MIME with our Message-ID, which the sink parses back to the same Chinese text', async () => {
    const receipt = await provider.send(message(1));
    expect(receipt).toMatchObject({ provider: 'smtp', providerMessageId: '<n-1.test@notifier.local>' });
    const [mail] = sandbox.control.mail({ to: 'cfo@example.com' });
    expect(mail).toMatchObject({
      messageId: '<n-1.test@notifier.local>',
      subject: '【发票异常】未在税局系统中找到发票 1',
    });
    expect(mail.text).toContain('以下发票尚未在税局系统中找到');
    expect(mail.html).toContain('<b>税局系统</b>');
  });

  it('classifies an outage (421) and a refusal before the content as not sent', async () => {
    sandbox.control.setFaults('smtp', { outage: { durationMs: 60_000 } });
    expect(await failure(provider.send(message(2)))).toMatchObject({ outcome: 'not_sent' });
    sandbox.control.setFaults('smtp', { errorRate: 1 });
    expect(await failure(provider.send(message(3)))).toMatchObject({ outcome: 'not_sent', code: 'SMTP_451' });
    expect(sandbox.control.mail()).toHaveLength(0);
  });

  it('treats a server that hangs before the content as not sent (nothing was handed over)', async () => {
    sandbox.control.setFaults('smtp', { hang: {} });
    expect(await failure(provider.send(message(4)))).toMatchObject({ outcome: 'not_sent' });
  });

  it('reports unknown when the server took the content but its reply never came (no blind resend)', async () => {
    const received: string[] = [];
    const silent = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream) => {
        stream.on('data', (chunk: Buffer) => received.push(chunk.toString()));
        // never calls back: the reply to the content is lost
      },
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.server.address() as { port: number }).port;
    const lost = new SmtpEmailProvider({
      host: '127.0.0.1',
      port,
      secure: false,
      requireTls: false,
      rejectUnauthorized: true,
      user: '',
      password: '',
      maxConnections: 1,
      timeoutMs: 400,
    });
    try {
      expect(await failure(lost.send(message(5)))).toMatchObject({
        outcome: 'unknown',
        code: 'SMTP_TIMEOUT',
      });
      expect(received.join('')).toContain('Message-ID: <n-5.test@notifier.local>');
    } finally {
      await lost.close();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
