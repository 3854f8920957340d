import { startSandbox, type RunningSandbox } from '../src/sandbox';

// In-process tests have no control port: `sandbox.idp.listen()` serves the IdP on a port of its own.
describe('the IdP in process', () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ logLevel: 'silent' });
  });
  afterAll(() => sandbox?.close());

  it('serves discovery and public keys only under <its URL>/idp, and stops with the sandbox', async () => {
    const issuer = await sandbox.idp.listen();
    expect(issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/idp$/);
    expect(sandbox.idp.issuer).toBe(issuer);
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    expect(discovery.issuer).toBe(issuer);
    const { keys } = (await (await fetch(discovery.jwks_uri)).json()) as {
      keys: Array<Record<string, unknown>>;
    };
    expect(keys).toEqual([
      expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) }),
    ]);
    for (const key of keys)
      for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(part);
    expect((await fetch(`${issuer.replace(/\/idp$/, '')}/elsewhere`)).status).toBe(404);
    expect((await sandbox.control.idpPeople()).map((p) => p.username)).toEqual([
      'admin',
      'manager',
      'clerk-sz',
      'auditor',
    ]);
    await sandbox.close();
    await expect(fetch(`${issuer}/jwks`)).rejects.toThrow();
  });
});
