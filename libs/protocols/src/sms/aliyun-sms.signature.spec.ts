import { createHmac } from 'node:crypto';
import {
  aliyunPercentEncode,
  aliyunSign,
  buildSendSmsParams,
  verifyAliyunSign,
} from './aliyun-sms.signature';
import { smsSegmentCount } from './sms.wire';

describe('Aliyun SMS signature', () => {
  it('percent-encodes per RFC 3986', () => {
    expect(aliyunPercentEncode("a b*c~d'中")).toBe('a%20b%2Ac~d%27%E4%B8%AD');
  });

  it('signs sorted, encoded params with HMAC-SHA1 keyed by secret + "&"', () => {
    const params = { B: '2', A: '1 1' };
    const text = 'POST&%2F&' + encodeURIComponent('A=1%201&B=2');
    expect(aliyunSign('sk', 'POST', params)).toBe(createHmac('sha1', 'sk&').update(text).digest('base64'));
  });

  it('builds verifiable SendSms params and detects tampering', () => {
    const params = buildSendSmsParams({
      accessKeyId: 'id',
      accessKeySecret: 'sk',
      phoneNumbers: ['13800138000'],
      signName: '发票同步',
      templateCode: 'SMS_1',
      templateParam: { n: '3' },
      outId: 'o1',
      timestamp: new Date(0),
    });
    expect(params.Timestamp).toBe('1970-01-01T00:00:00Z');
    expect(verifyAliyunSign('sk', 'POST', params)).toBe(true);
    expect(verifyAliyunSign('sk', 'GET', params)).toBe(false);
    expect(verifyAliyunSign('sk', 'POST', { ...params, PhoneNumbers: '13800138001' })).toBe(false);
  });

  it('counts 70-character segments (67 per part when long)', () => {
    expect(smsSegmentCount('中'.repeat(70))).toBe(1);
    expect(smsSegmentCount('中'.repeat(71))).toBe(2);
    expect(smsSegmentCount('a'.repeat(134))).toBe(2);
    expect(smsSegmentCount('a'.repeat(135))).toBe(3);
  });
});
