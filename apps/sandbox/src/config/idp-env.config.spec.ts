import { DEV_IDP_CLIENT } from '@lib/simulators';
import { sandboxOptionsFromEnv } from './sandbox-env.config';

describe('the IdP environment', () => {
  it('defaults to the demo people, the development console client and the API audience', () => {
    const options = sandboxOptionsFromEnv({});
    expect(options.publicUrl).toBeUndefined();
    expect(options.idp).toEqual({
      people: undefined,
      client: {
        client_id: DEV_IDP_CLIENT.clientId,
        client_secret: DEV_IDP_CLIENT.clientSecret,
        redirect_uris: [...DEV_IDP_CLIENT.redirectUris],
        post_logout_redirect_uris: [...DEV_IDP_CLIENT.postLogoutRedirectUris],
      },
      audience: 'urn:invoice-sync:api',
      jwks: undefined,
    });
  });

  it('reads people, the client, the audience, the public URL and keys', () => {
    const jwks = { keys: [{ kty: 'RSA', n: 'n', e: 'AQAB', d: 'd', kid: 'k1' }] };
    const options = sandboxOptionsFromEnv({
      SANDBOX_PUBLIC_URL: 'http://sandbox.test:7100/',
      SANDBOX_IDP_USERS: JSON.stringify([
        { username: 'a', password: 'p', name: 'A', email: 'a@example.cn', roles: ['admin'] },
      ]),
      SANDBOX_IDP_CLIENT_ID: 'console',
      SANDBOX_IDP_CLIENT_SECRET: 'console-secret',
      SANDBOX_IDP_REDIRECT_URIS: 'http://127.0.0.1:5000/cb, http://localhost:5000/cb',
      SANDBOX_IDP_POST_LOGOUT_REDIRECT_URIS: '',
      SANDBOX_IDP_API_AUDIENCE: 'urn:other:api',
      SANDBOX_IDP_JWKS: JSON.stringify(jwks),
    });
    expect(options.publicUrl).toBe('http://sandbox.test:7100');
    expect(options.idp).toEqual({
      people: [
        { username: 'a', password: 'p', name: 'A', email: 'a@example.cn', roles: ['admin'], branches: [] },
      ],
      client: {
        client_id: 'console',
        client_secret: 'console-secret',
        redirect_uris: ['http://127.0.0.1:5000/cb', 'http://localhost:5000/cb'],
        post_logout_redirect_uris: [],
      },
      audience: 'urn:other:api',
      jwks,
    });
  });

  it('fails fast on bad values without echoing what was given', () => {
    const leaked = 'secret-password-123';
    const attempt = (env: Record<string, string>) => () => sandboxOptionsFromEnv(env);
    expect(attempt({ SANDBOX_IDP_USERS: `[{"username":"a","password":"${leaked}"` })).toThrow(
      /^SANDBOX_IDP_USERS must be a JSON array of people$/,
    );
    expect(attempt({ SANDBOX_IDP_USERS: `[{"username":"a","password":"${leaked}"}]` })).toThrow(
      /SANDBOX_IDP_USERS/,
    );
    try {
      sandboxOptionsFromEnv({ SANDBOX_IDP_USERS: `[{"username":"a","password":"${leaked}"}]` });
    } catch (error) {
      expect((error as Error).message).not.toContain(leaked);
    }
    expect(attempt({ SANDBOX_IDP_REDIRECT_URIS: 'not a url' })).toThrow(/REDIRECT_URIS/);
    expect(attempt({ SANDBOX_IDP_REDIRECT_URIS: '' })).toThrow(/REDIRECT_URIS/);
    expect(attempt({ SANDBOX_PUBLIC_URL: 'http://host:7100/prefix' })).toThrow(/SANDBOX_PUBLIC_URL/);
    expect(attempt({ SANDBOX_IDP_JWKS: '{"keys":[{"kty":"RSA","n":"n","e":"AQAB"}]}' })).toThrow(
      /private part/,
    );
    expect(attempt({ SANDBOX_IDP_JWKS: 'nope' })).toThrow(/SANDBOX_IDP_JWKS/);
  });
});
