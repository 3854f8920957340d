import { AliyunSmsProvider, ChannelDeliveryError } from '../src';
import { DEV_CREDENTIALS, startSandbox, type RunningSandbox } from './support/sandbox';

/** The Aliyun-style SMS adapter against the sandbox gateway, which verifies the real signature rules. */
describe('AliyunSmsProvider (sandbox SMS gateway)', () => {
  let sandbox: RunningSandbox;
  let provider: AliyunSmsProvider;
  const settings = () => ({
    endpoint: sandbox.urls.sms,
    accessKeyId: DEV_CREDENTIALS.sms.id,
    accessKeySecret: DEV_CREDENTIALS.sms.secret,
    signName: '发票同步',
    timeoutMs: 2_000,
    breaker: { volumeThreshold: 100 },
  });
  const alert = (outId: string, templateCode = 'SMS_INVOICE_ALERT') => ({
    phoneNumber: '13800138000',
    templateCode,
    templateParams: { count: '1', summary: '紧急，开票设备即将锁死 DEV-1' },
    outId,
  });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: ChannelDeliveryError) => error,
    );

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'notifier-sms', logLevel: 'silent' });
    provider = new AliyunSmsProvider(settings());
  });
  afterAll(async () => {
    await provider.close();
    await sandbox.close();
  });
  beforeEach(() => sandbox.control.reset());

  it('sends a signed templated SMS, and a resend with the same OutId is not delivered twice', async () => {
    const first = await provider.send(alert('n-out-1'));
    const again = await provider.send(alert('n-out-1'));
    expect(first).toMatchObject({ provider: 'aliyun', response: 'OK' });
    expect(again.providerMessageId).toBe(first.providerMessageId);
    const received = sandbox.control.sms({ phoneNumber: '13800138000' });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      content: '【发票同步】您有1条发票异常待处理：紧急，开票设备即将锁死 DEV-1',
      outId: 'n-out-1',
      segments: 1,
    });
  });

  it('classifies a refused template as rejected, throttling and outages as not sent', async () => {
    expect(await failure(provider.send(alert('n-out-2', 'SMS_NOPE')))).toMatchObject({
      outcome: 'rejected',
      code: 'SMS_ISV_SMS_TEMPLATE_ILLEGAL',
    });
    sandbox.control.setFaults('sms', { rateLimit: { limit: 0, windowMs: 60_000 } });
    expect(await failure(provider.send(alert('n-out-3')))).toMatchObject({
      outcome: 'not_sent',
      code: 'SMS_THROTTLING_USER',
    });
    sandbox.control.setFaults('sms', { outage: { durationMs: 60_000 } });
    expect(await failure(provider.send(alert('n-out-4')))).toMatchObject({ outcome: 'not_sent' });
    expect(sandbox.control.sms()).toHaveLength(0);
  });

  it('refuses a wrong secret (the signature is really checked)', async () => {
    const wrong = new AliyunSmsProvider({ ...settings(), accessKeySecret: 'nope' });
    try {
      expect(await failure(wrong.send(alert('n-out-5')))).toMatchObject({
        outcome: 'rejected',
        code: 'SMS_SIGNATUREDOESNOTMATCH',
      });
    } finally {
      await wrong.close();
    }
  });
});
