import { AppError } from '@lib/common';
import { checkClockSkew, isSignatureValid, nonceExpiry, readAuthHeaders } from './request-signature.verifier';

const HEADERS = {
  'x-device-id': 'dev-0001',
  'x-timestamp': '1741570200000',
  'x-nonce': 'n0nce-Example_000001',
  'x-signature': '7xsCY60i6Tcb2u/dUcgkgwB+yVjVL4Clct6ovUohUcw=',
};
const BODY =
  '{"eventId":"3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b","period":"2025-02","status":"succeeded",' +
  '"at":"2025-03-10T09:30:00+08:00","errorCode":null,"errorMessage":null}';
const SECRET = Buffer.from('AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8');
const REQUEST = { method: 'POST', pathAndQuery: '/v1/devices/dev-0001/clear-card', body: Buffer.from(BODY) };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as AppError).code;
  }
  return undefined;
}

describe('request signature verification', () => {
  it('verifies the documented example and nothing else', () => {
    const auth = readAuthHeaders(HEADERS);
    expect(isSignatureValid(SECRET, auth, REQUEST)).toBe(true);
    expect(isSignatureValid(SECRET, auth, { ...REQUEST, body: Buffer.from(`${BODY}\n`) })).toBe(false);
    expect(isSignatureValid(SECRET, auth, { ...REQUEST, pathAndQuery: `${REQUEST.pathAndQuery}?a=1` })).toBe(
      false,
    );
    expect(isSignatureValid(SECRET, { ...auth, nonce: 'n0nce-Example_000002' }, REQUEST)).toBe(false);
    expect(isSignatureValid(Buffer.from('other'), auth, REQUEST)).toBe(false);
    expect(isSignatureValid(SECRET, { ...auth, signature: 'c2hvcnQ=' }, REQUEST)).toBe(false);
  });

  it('names each missing header', () => {
    try {
      readAuthHeaders({ 'x-device-id': 'd', 'x-nonce': '  ' });
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toMatchObject({ code: 'MISSING_AUTH_HEADERS', kind: 'unauthorized' });
      expect((error as AppError).details.map((d) => d.field)).toEqual([
        'x-timestamp',
        'x-nonce',
        'x-signature',
      ]);
    }
  });

  it.each([
    [{ 'x-nonce': 'too-short' }, 'BAD_NONCE_FORMAT'],
    [{ 'x-nonce': 'with/slash/0000000000' }, 'BAD_NONCE_FORMAT'],
    [{ 'x-timestamp': '-1741570200000' }, 'BAD_TIMESTAMP'],
    [{ 'x-timestamp': '1741570200000.5' }, 'BAD_TIMESTAMP'],
    [{ 'x-timestamp': '9'.repeat(16) }, 'BAD_TIMESTAMP'],
  ])('refuses %j with %s', (override, code) => {
    expect(codeOf(() => readAuthHeaders({ ...HEADERS, ...override }))).toBe(code);
  });

  it('allows exactly the skew window, both ways', () => {
    expect(codeOf(() => checkClockSkew(1_000_000, 1_300_000, 300_000))).toBeUndefined();
    expect(codeOf(() => checkClockSkew(1_600_000, 1_300_000, 300_000))).toBeUndefined();
    expect(codeOf(() => checkClockSkew(999_999, 1_300_000, 300_000))).toBe('CLOCK_SKEW');
    expect(codeOf(() => checkClockSkew(1_600_001, 1_300_000, 300_000))).toBe('CLOCK_SKEW');
  });

  it('keeps a nonce until the first instant its request is outside the window', () => {
    const [timestamp, skew] = [1_000_000, 300_000];
    const lastAccepted = timestamp + skew;
    expect(codeOf(() => checkClockSkew(timestamp, lastAccepted, skew))).toBeUndefined();
    expect(nonceExpiry(timestamp, skew)).toBeGreaterThan(lastAccepted); // not expired while acceptable
    expect(codeOf(() => checkClockSkew(timestamp, nonceExpiry(timestamp, skew), skew))).toBe('CLOCK_SKEW');
  });
});
