import { createHash } from 'node:crypto';
import { baiwangSign, buildBaiwangRequest, verifyBaiwangSign } from './baiwang.signature';

describe('baiwangSign', () => {
  const params = {
    method: 'baiwang.output.invoice.upload',
    appKey: 'k1',
    token: 'tok',
    timestamp: '1700000000000',
    format: 'json',
    version: '6.0',
    type: 'sync',
    requestId: 'r1',
    sign: 'IGNORED',
    empty: '',
  };
  const body = '{"name":"中文"}';

  it('is upper-case MD5 of secret + sorted key/values (no sign, no empty) + body + secret', () => {
    const text =
      'sec' +
      'appKeyk1' +
      'formatjson' +
      'methodbaiwang.output.invoice.upload' +
      'requestIdr1' +
      'timestamp1700000000000' +
      'tokentok' +
      'typesync' +
      'version6.0' +
      body +
      'sec';
    const expected = createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
    expect(baiwangSign('sec', params, body)).toBe(expected);
    expect(expected).toMatch(/^[0-9A-F]{32}$/);
  });

  it('does not depend on parameter insertion order', () => {
    const reversed = Object.fromEntries(Object.entries(params).reverse());
    expect(baiwangSign('sec', reversed, body)).toBe(baiwangSign('sec', params, body));
  });

  it('verifies a good signature and rejects a tampered body, a wrong secret or changed params', () => {
    const signed = { ...params, sign: baiwangSign('sec', params, body) };
    expect(verifyBaiwangSign('sec', signed, body)).toBe(true);
    expect(verifyBaiwangSign('sec', signed, '{"name":"中文 "}')).toBe(false);
    expect(verifyBaiwangSign('other', signed, body)).toBe(false);
    expect(verifyBaiwangSign('sec', { ...signed, timestamp: '1700000000001' }, body)).toBe(false);
    expect(verifyBaiwangSign('sec', { ...signed, sign: undefined }, body)).toBe(false);
  });

  it('builds a request whose query carries the sign over the exact body string', () => {
    const req = buildBaiwangRequest({
      appKey: 'k1',
      appSecret: 'sec',
      method: 'm',
      token: 't',
      body: { a: '中' },
      timestamp: 1,
      requestId: 'rid',
    });
    expect(req.body).toBe('{"a":"中"}');
    const query = Object.fromEntries(new URLSearchParams(req.query));
    expect(query).toMatchObject({
      method: 'm',
      appKey: 'k1',
      token: 't',
      timestamp: '1',
      format: 'json',
      type: 'sync',
    });
    expect(verifyBaiwangSign('sec', query, req.body)).toBe(true);
  });
});
