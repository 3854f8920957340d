import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface TestPerson {
  sub: string;
  name?: string;
  roles: string[];
  branches?: string[];
}

/**
 * A stand-in IdP for service tests: publishes a JWKS (and a discovery document) on a loopback port and signs access
 * tokens with its key, so services verify real JWTs exactly as they verify the sandbox IdP's or a customer's.
 */
export interface TestIssuer {
  issuer: string;
  jwksUrl: string;
  audience: string;
  /** The AUTH_* variables a service needs to trust this issuer. */
  env: Record<string, string>;
  token(
    person: TestPerson,
    options?: { audience?: string; expiresInSeconds?: number; issuer?: string },
  ): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIssuer(audience = 'urn:invoice-sync:api'): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  let base = '';
  const server: Server = createServer((request, response) => {
    const body =
      request.url === '/jwks'
        ? { keys: [jwk] }
        : request.url === '/.well-known/openid-configuration'
          ? { issuer: base, jwks_uri: `${base}/jwks` }
          : null;
    response.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sign =
    (key: CryptoKey) =>
    async (
      person: TestPerson,
      options: { audience?: string; expiresInSeconds?: number; issuer?: string } = {},
    ) =>
      new SignJWT({ name: person.name ?? person.sub, roles: person.roles, branches: person.branches ?? [] })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setSubject(person.sub)
        .setIssuer(options.issuer ?? base)
        .setAudience(options.audience ?? audience)
        .setIssuedAt()
        .setExpirationTime(`${options.expiresInSeconds ?? 600}s`)
        .sign(key);
  return {
    issuer: base,
    jwksUrl: `${base}/jwks`,
    audience,
    env: { AUTH_ISSUER: base, AUTH_JWKS_URL: `${base}/jwks`, AUTH_AUDIENCE: audience },
    token: sign(privateKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
