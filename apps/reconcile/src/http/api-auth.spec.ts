import type { Request } from 'express';
import { BearerTokenAuthenticator } from './api-auth';

const request = (authorization?: string) => ({ headers: authorization ? { authorization } : {} }) as unknown as Request;

describe('bearer token authenticator', () => {
  it('accepts the configured token only', async () => {
    const auth = new BearerTokenAuthenticator('s3cret');
    await expect(auth.authenticate(request('Bearer s3cret'))).resolves.toEqual({ id: 'api-token' });
    await expect(auth.authenticate(request('Bearer s3cre'))).rejects.toMatchObject({ code: 'INVALID_API_TOKEN', kind: 'unauthorized' });
    await expect(auth.authenticate(request())).rejects.toMatchObject({ code: 'INVALID_API_TOKEN' });
  });

  it('refuses everything when no token is configured', async () => {
    await expect(new BearerTokenAuthenticator('').authenticate(request('Bearer '))).rejects.toMatchObject({ code: 'API_DISABLED' });
  });
});
