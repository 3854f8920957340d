import { buildSendSmsParams, type SendSmsInput } from '@lib/protocols';
import { DEV_CREDENTIALS } from '../src/config/sandbox-options';
import { startSandbox, type RunningSandbox } from '../src/sandbox';
import { send } from './support/http-client';

describe('SMS gateway (Aliyun-style)', () => {
  let sandbox: RunningSandbox;
  const base: SendSmsInput = {
    accessKeyId: DEV_CREDENTIALS.sms.id,
    accessKeySecret: DEV_CREDENTIALS.sms.secret,
    phoneNumbers: '13800138000',
    signName: '发票同步',
    templateCode: 'SMS_INVOICE_ALERT',
    templateParam: { count: '3', summary: '2张发票未上传税局' },
  };
  const sendSms = async (input: Partial<SendSmsInput> = {}, tamper: Record<string, string> = {}) => {
    const params = { ...buildSendSmsParams({ ...base, ...input }), ...tamper };
    return send<{ Code: string; Message: string; BizId?: string }>('POST', `${sandbox.urls.sms}/`, {
      body: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  };

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.control.reset());

  it('sends, records the filled template and counts segments', async () => {
    const ok = await sendSms({ phoneNumbers: ['13800138000', '15900000000'] });
    expect(ok.body).toMatchObject({ Code: 'OK', BizId: expect.any(String) });
    const messages = sandbox.control.sms();
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatchObject({
      content: '【发票同步】您有3条发票异常待处理：2张发票未上传税局',
      segments: 1,
      bizId: ok.body.BizId,
    });
    const long = await sendSms({ templateParam: { count: '9', summary: '长'.repeat(80) } });
    expect(long.body.Code).toBe('OK');
    expect(sandbox.control.sms({ phoneNumber: '13800138000' }).pop()?.segments).toBe(2);
  });

  it('authenticates: unknown key, bad signature, stale timestamp, reused nonce', async () => {
    expect((await sendSms({ accessKeyId: 'ghost' })).body.Code).toBe('InvalidAccessKeyId.NotFound');
    expect((await sendSms({ accessKeySecret: 'wrong' })).body.Code).toBe('SignatureDoesNotMatch');
    expect((await sendSms({}, { PhoneNumbers: '13900000000' })).body.Code).toBe('SignatureDoesNotMatch');
    expect((await sendSms({ timestamp: new Date(Date.now() - 3600_000) })).body.Code).toBe(
      'InvalidTimeStamp.Expired',
    );
    expect((await sendSms({ signatureNonce: 'n-1' })).body.Code).toBe('OK');
    expect((await sendSms({ signatureNonce: 'n-1' })).body.Code).toBe('SignatureNonceUsed');
    expect(sandbox.control.state().sms.signatureFailures).toBe(2);
  });

  it('validates sign name, template, its parameters and phone numbers', async () => {
    expect((await sendSms({ signName: '别的签名' })).body.Code).toBe('isv.SMS_SIGNATURE_ILLEGAL');
    expect((await sendSms({ templateCode: 'SMS_UNKNOWN' })).body.Code).toBe('isv.SMS_TEMPLATE_ILLEGAL');
    expect((await sendSms({ templateParam: { count: '1' } })).body.Code).toBe(
      'isv.TEMPLATE_MISSING_PARAMETERS',
    );
    expect((await sendSms({ phoneNumbers: '12800138000' })).body.Code).toBe('isv.MOBILE_NUMBER_ILLEGAL');
    expect((await sendSms({ phoneNumbers: '1380013800' })).body.Code).toBe('isv.MOBILE_NUMBER_ILLEGAL');
    expect(sandbox.control.sms()).toHaveLength(0);
  });

  it('is idempotent on OutId', async () => {
    const first = await sendSms({ outId: 'alert-42' });
    const second = await sendSms({ outId: 'alert-42' });
    expect(second.body.BizId).toBe(first.body.BizId);
    expect(sandbox.control.sms()).toHaveLength(1);
    expect(sandbox.control.state().sms).toMatchObject({ accepted: 1, duplicates: 1 });
  });

  it('accepts GET with the signature computed for GET', async () => {
    const params = buildSendSmsParams({ ...base, httpMethod: 'GET' });
    const res = await send<{ Code: string }>(
      'GET',
      `${sandbox.urls.sms}/?${new URLSearchParams(params).toString()}`,
    );
    expect(res.body.Code).toBe('OK');
  });
});
