import type { Request } from 'express';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { AppError } from '@lib/common';
import { Authenticator, bearerToken } from './auth.guard';
import { PersonTokenVerifier, PersonTokenSettings } from './person-token.verifier';
import { inScope, permits, scopeParam } from './principal';

const settings: PersonTokenSettings = {
  issuer: 'https://idp.example.test',
  audience: 'urn:invoice-sync:api',
  jwksUrl: '',
  rolesClaim: 'realm_access.roles',
  branchesClaim: 'branches',
  nameClaim: 'name',
  roleMap: { 'fin-clerks': 'branch-clerk' },
  clockToleranceSeconds: 0,
  fetchTimeoutMs: 1000,
};

function request(authorization?: string): Request {
  return { headers: authorization ? { authorization } : {} } as Request;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'NO_ERROR';
  } catch (error) {
    return error instanceof AppError ? `${error.code}/${error.kind}` : String(error);
  }
}

describe('person tokens and service accounts', () => {
  it('maps claims at a dot path through the role map, and gives a clerk only their branches', () => {
    const verifier = new PersonTokenVerifier(settings);
    const clerk = verifier.principalOf({
      sub: 'u1',
      name: '王芳',
      realm_access: { roles: ['fin-clerks', 'offline_access'] },
      branches: ['SZ01'],
    });
    expect(clerk).toEqual({
      kind: 'person',
      subject: 'u1',
      name: '王芳',
      roles: ['branch-clerk'],
      scope: { all: false, branches: ['SZ01'] },
    });
    expect(inScope(clerk.scope, 'SZ01')).toBe(true);
    expect(inScope(clerk.scope, 'BJ01')).toBe(false);
    expect(inScope(clerk.scope, null)).toBe(false);
    expect(scopeParam(clerk.scope)).toEqual(['SZ01']);
    const auditor = verifier.principalOf({ sub: 'u2', realm_access: { roles: ['auditor'] } });
    expect(auditor.scope).toEqual({ all: true });
    expect(auditor.name).toBe('u2');
    expect(permits(auditor, 'findings:read')).toBe(true);
    expect(permits(auditor, 'findings:act')).toBe(false);
    expect(permits(clerk, 'findings:act')).toBe(true);
    expect(permits(clerk, 'devices:manage')).toBe(false);
  });

  it('refuses a token without a known role (403) or a subject (401)', () => {
    const verifier = new PersonTokenVerifier(settings);
    expect(() => verifier.principalOf({ sub: 'u3', realm_access: { roles: ['someone-else'] } })).toThrow(
      expect.objectContaining({ code: 'NO_ROLE', kind: 'forbidden' }),
    );
    expect(() => verifier.principalOf({ realm_access: { roles: ['admin'] } })).toThrow(
      expect.objectContaining({ code: 'INVALID_TOKEN' }),
    );
  });

  it('verifies signature, issuer, audience and expiry against the keys the discovery document names', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const other = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    const fetches: string[] = [];
    const realFetch = global.fetch;
    global.fetch = (async () =>
      new Response(JSON.stringify({ keys: [jwk] }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      })) as typeof fetch;
    try {
      const verifier = new PersonTokenVerifier(settings, async (url) => {
        fetches.push(url);
        return { jwks_uri: 'https://idp.example.test/jwks' };
      });
      const sign = (
        key: typeof privateKey,
        claims: Record<string, unknown>,
        aud = settings.audience,
        exp = '5m',
      ) =>
        new SignJWT({ realm_access: { roles: ['admin'] }, ...claims })
          .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
          .setSubject('admin-1')
          .setIssuer(settings.issuer)
          .setAudience(aud)
          .setIssuedAt()
          .setExpirationTime(exp)
          .sign(key);
      await expect(verifier.verify(await sign(privateKey, { name: 'Ada' }))).resolves.toMatchObject({
        subject: 'admin-1',
        name: 'Ada',
        roles: ['admin'],
      });
      expect(fetches).toEqual(['https://idp.example.test/.well-known/openid-configuration']);
      expect(await codeOf(verifier.verify(await sign(privateKey, {}, 'urn:someone-else')))).toBe(
        'INVALID_TOKEN/unauthorized',
      );
      expect(await codeOf(verifier.verify(await sign(other.privateKey, {})))).toBe(
        'INVALID_TOKEN/unauthorized',
      );
      const expired = await new SignJWT({ realm_access: { roles: ['admin'] } })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setSubject('admin-1')
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(privateKey);
      expect(await codeOf(verifier.verify(expired))).toBe('TOKEN_EXPIRED/unauthorized');
    } finally {
      global.fetch = realFetch;
    }
  });

  it('answers 503 when the IdP cannot be reached, and tries discovery again next time', async () => {
    let calls = 0;
    const verifier = new PersonTokenVerifier(settings, async () => {
      calls += 1;
      throw new Error('connect ECONNREFUSED');
    });
    expect(await codeOf(verifier.verify('a.b.c'))).toBe('IDP_UNAVAILABLE/unavailable');
    expect(await codeOf(verifier.verify('a.b.c'))).toBe('IDP_UNAVAILABLE/unavailable');
    expect(calls).toBe(2);
  });

  it('knows service accounts by token, refuses unknown ones and person tokens when no IdP is set', async () => {
    const authenticator = new Authenticator(
      [
        { name: 'automation', token: 'a'.repeat(40), roles: ['finance-manager'] },
        { name: 'disabled', token: '', roles: ['admin'] },
      ],
      null,
    );
    await expect(authenticator.authenticate(request(`Bearer ${'a'.repeat(40)}`))).resolves.toMatchObject({
      kind: 'service',
      subject: 'automation',
      scope: { all: true },
    });
    expect(await codeOf(authenticator.authenticate(request('Bearer nope')))).toBe(
      'INVALID_TOKEN/unauthorized',
    );
    expect(await codeOf(authenticator.authenticate(request('Bearer ')))).toBe('UNAUTHENTICATED/unauthorized');
    expect(await codeOf(authenticator.authenticate(request()))).toBe('UNAUTHENTICATED/unauthorized');
    expect(await codeOf(authenticator.authenticate(request('Bearer x.y.z')))).toBe(
      'PERSON_AUTH_DISABLED/unauthorized',
    );
  });

  it('reads the bearer credential one way for the guard and for a service forwarding it', () => {
    expect(bearerToken(request('Bearer abc.def '))).toBe('abc.def');
    expect(bearerToken(request('bearer token-1'))).toBe('token-1');
    for (const header of [undefined, 'Bearer ', 'Basic dXNlcg==', 'Bearer two words'])
      expect(() => bearerToken(request(header))).toThrow(
        expect.objectContaining({ code: 'UNAUTHENTICATED', kind: 'unauthorized' }),
      );
  });
});
