import {
  buildNuonuoRequest,
  makeNuonuoNonce,
  makeNuonuoSenid,
  NUONUO_NONCE_PATTERN,
  NUONUO_SENID_PATTERN,
  nuonuoSign,
  verifyNuonuoSign,
} from './nuonuo.signature';

describe('nuonuoSign', () => {
  const input = {
    appKey: 'app',
    senid: 'a'.repeat(32),
    nonce: '12345678',
    timestamp: '1700000000',
    body: '{"name":"中文"}',
  };

  it('reproduces the public test vector (UTF-8 body)', () => {
    expect(nuonuoSign('secret', input)).toBe('4BzcKzrcoqxPis0W/W3X2ae0uIo=');
  });

  it('accepts a numeric timestamp identically', () => {
    expect(nuonuoSign('secret', { ...input, timestamp: 1700000000 })).toBe('4BzcKzrcoqxPis0W/W3X2ae0uIo=');
  });

  it('rejects a tampered body or a wrong secret', () => {
    expect(verifyNuonuoSign('secret', input, '4BzcKzrcoqxPis0W/W3X2ae0uIo=')).toBe(true);
    expect(
      verifyNuonuoSign('secret', { ...input, body: '{"name":"中文2"}' }, '4BzcKzrcoqxPis0W/W3X2ae0uIo='),
    ).toBe(false);
    expect(verifyNuonuoSign('secreT', input, '4BzcKzrcoqxPis0W/W3X2ae0uIo=')).toBe(false);
  });

  it('makes well-formed senids and nonces', () => {
    for (let i = 0; i < 50; i += 1) {
      expect(makeNuonuoSenid()).toMatch(NUONUO_SENID_PATTERN);
      expect(makeNuonuoNonce()).toMatch(NUONUO_NONCE_PATTERN);
    }
    expect(makeNuonuoNonce(() => 0)).toBe('10000000');
  });

  it('builds a signed request with the signature over the query values and the body', () => {
    const req = buildNuonuoRequest({
      appKey: 'app',
      appSecret: 'secret',
      accessToken: 't',
      userTax: 'X',
      method: 'm',
      body: { name: '中文' },
      senid: 'a'.repeat(32),
      nonce: '12345678',
      timestamp: 1700000000,
    });
    expect(req.headers['X-Nuonuo-Sign']).toBe('4BzcKzrcoqxPis0W/W3X2ae0uIo=');
    expect(req.pathAndQuery).toBe(
      `/open/v1/services?senid=${'a'.repeat(32)}&nonce=12345678&timestamp=1700000000&appkey=app`,
    );
  });
});
