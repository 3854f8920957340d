import {
  bodyDigestHex,
  computeSignature,
  NONCE_PATTERN,
  generateNonce,
  signedHeaders,
  stringToSign,
} from './signature';

/** The worked example of docs/device-gateway.md; the expected values were computed with openssl, not with this code. */
const EXAMPLE = {
  secret: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
  method: 'POST',
  pathAndQuery: '/v1/devices/dev-0001/clear-card',
  timestamp: '1741570200000',
  nonce: 'n0nce-Example_000001',
  body:
    '{"eventId":"3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b","period":"2025-02","status":"succeeded",' +
    '"at":"2025-03-10T09:30:00+08:00","errorCode":null,"errorMessage":null}',
};

describe('request signature (docs/device-gateway.md worked example)', () => {
  it('hashes the raw body bytes', () => {
    expect(bodyDigestHex(EXAMPLE.body)).toBe(
      '5c61abf2a8beb3dafb181bd64967bc9cf3d8aee0edb21c8602750cbd13a2706e',
    );
    expect(bodyDigestHex()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('builds the exact string to sign', () => {
    expect(stringToSign(EXAMPLE)).toBe(
      'POST\n/v1/devices/dev-0001/clear-card\n1741570200000\nn0nce-Example_000001\n' +
        '5c61abf2a8beb3dafb181bd64967bc9cf3d8aee0edb21c8602750cbd13a2706e',
    );
  });

  it('signs with HMAC-SHA256 keyed by the secret string, base64-encoded', () => {
    expect(computeSignature(EXAMPLE.secret, EXAMPLE)).toBe('7xsCY60i6Tcb2u/dUcgkgwB+yVjVL4Clct6ovUohUcw=');
  });

  it('upper-cases the method and signs bytes, not characters', () => {
    expect(computeSignature(EXAMPLE.secret, { ...EXAMPLE, method: 'post' })).toBe(
      '7xsCY60i6Tcb2u/dUcgkgwB+yVjVL4Clct6ovUohUcw=',
    );
    expect(computeSignature(EXAMPLE.secret, { ...EXAMPLE, body: Buffer.from(EXAMPLE.body) })).toBe(
      '7xsCY60i6Tcb2u/dUcgkgwB+yVjVL4Clct6ovUohUcw=',
    );
    expect(computeSignature(EXAMPLE.secret, { ...EXAMPLE, body: `${EXAMPLE.body} ` })).not.toBe(
      '7xsCY60i6Tcb2u/dUcgkgwB+yVjVL4Clct6ovUohUcw=',
    );
  });

  it('produces the four headers, with a valid fresh nonce', () => {
    const headers = signedHeaders({ deviceId: 'dev-0001', ...EXAMPLE, now: 1741570200000 });
    expect(headers).toEqual({
      'X-Device-Id': 'dev-0001',
      'X-Timestamp': '1741570200000',
      'X-Nonce': 'n0nce-Example_000001',
      'X-Signature': '7xsCY60i6Tcb2u/dUcgkgwB+yVjVL4Clct6ovUohUcw=',
    });
    const nonce = generateNonce();
    expect(nonce).toMatch(NONCE_PATTERN);
    expect(generateNonce()).not.toBe(nonce);
  });
});
