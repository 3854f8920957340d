import { createHash, createHmac } from 'node:crypto';
import { NonceReplayGuard } from '../shared/nonce-replay.guard';
import { authoritySign, signAuthorityRequest, verifyAuthoritySignature } from './authority.signature';

describe('authority signature', () => {
  const body = Buffer.from('{"kind":"issued","名":"值"}', 'utf8');
  const base = {
    method: 'post',
    pathAndQuery: '/v1/taxpayers/X/invoices',
    timestamp: '1700000000000',
    nonce: 'abcdefghijklmnop',
    body,
  };

  it('is base64 HMAC-SHA256 over METHOD, path+query, timestamp, nonce and hex SHA-256 of the body', () => {
    const text = [
      'POST',
      '/v1/taxpayers/X/invoices',
      '1700000000000',
      'abcdefghijklmnop',
      createHash('sha256').update(body).digest('hex'),
    ].join('\n');
    expect(authoritySign('s3cret', base)).toBe(createHmac('sha256', 's3cret').update(text).digest('base64'));
    expect(authoritySign('s3cret', { ...base, body: body.toString('utf8') })).toBe(
      authoritySign('s3cret', base),
    );
  });

  it('verifies good requests and names the failure otherwise', () => {
    const headers = signAuthorityRequest({
      appId: 'a',
      appSecret: 's',
      method: 'POST',
      pathAndQuery: '/p?x=1',
      body,
      timestamp: 1_000_000,
      nonce: 'n'.repeat(16),
    });
    const input = {
      method: 'POST',
      pathAndQuery: '/p?x=1',
      timestamp: headers['x-timestamp'],
      nonce: headers['x-nonce'],
      signature: headers['x-signature'],
      body,
    };
    expect(verifyAuthoritySignature('s', input, { nowMs: 1_000_000 })).toEqual({ ok: true });
    expect(verifyAuthoritySignature('s', input, { nowMs: 1_000_000 + 300_001 })).toEqual({
      ok: false,
      reason: 'CLOCK_SKEW',
    });
    expect(verifyAuthoritySignature('s', { ...input, pathAndQuery: '/p?x=2' }, { nowMs: 1_000_000 })).toEqual(
      { ok: false, reason: 'BAD_SIGNATURE' },
    );
    expect(verifyAuthoritySignature('t', input, { nowMs: 1_000_000 })).toEqual({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
    expect(verifyAuthoritySignature('s', { ...input, body: Buffer.from('x') }, { nowMs: 1_000_000 })).toEqual(
      { ok: false, reason: 'BAD_SIGNATURE' },
    );
    expect(verifyAuthoritySignature('s', { ...input, nonce: 'short' }, { nowMs: 1_000_000 })).toEqual({
      ok: false,
      reason: 'BAD_NONCE',
    });
    expect(verifyAuthoritySignature('s', { ...input, signature: undefined }, { nowMs: 1_000_000 })).toEqual({
      ok: false,
      reason: 'MISSING_HEADERS',
    });
  });
});

describe('NonceReplayGuard', () => {
  it('rejects a nonce seen within the TTL and forgets it afterwards', () => {
    const guard = new NonceReplayGuard(1000);
    expect(guard.accept('app', 'n1', 0)).toBe(true);
    expect(guard.accept('app', 'n1', 999)).toBe(false);
    expect(guard.accept('other', 'n1', 999)).toBe(true);
    expect(guard.accept('app', 'n1', 1000)).toBe(true);
  });

  it('prunes expired entries', () => {
    const guard = new NonceReplayGuard(10);
    for (let i = 0; i < 5000; i += 1) guard.accept('a', `n${i}`, i);
    expect(guard.size).toBeLessThanOrEqual(11);
  });
});
