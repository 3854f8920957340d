import { IdpStore } from './idp-adapter';
import { IdpClients } from './idp-clients';

describe('IdpStore', () => {
  let now = 1_000_000;
  const clients = new IdpClients();
  const store = new IdpStore(clients, () => now);

  beforeEach(() => {
    store.clear();
    now = 1_000_000;
  });

  it('expires entries after their lifetime', async () => {
    const sessions = store.factory('Session');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'admin' }, 60);
    expect(await sessions.find('s1')).toMatchObject({ accountId: 'admin' });
    expect(await sessions.findByUid('u1')).toMatchObject({ accountId: 'admin' });
    now += 60_000;
    expect(await sessions.find('s1')).toBeUndefined();
    expect(await sessions.findByUid('u1')).toBeUndefined();
  });

  it('consumes, destroys and revokes by grant across models', async () => {
    const codes = store.factory('AuthorizationCode');
    const refresh = store.factory('RefreshToken');
    await codes.upsert('c1', { grantId: 'g1' }, 60);
    await refresh.upsert('r1', { grantId: 'g1' }, 3600);
    await refresh.upsert('r2', { grantId: 'g2' }, 3600);
    await codes.consume('c1');
    expect((await codes.find('c1'))?.consumed).toBe(1000);
    await refresh.revokeByGrantId('g1');
    expect(await codes.find('c1')).toBeUndefined();
    expect(await refresh.find('r1')).toBeUndefined();
    expect(await refresh.find('r2')).toBeDefined();
    await refresh.destroy('r2');
    expect(store.size()).toBe(0);
  });

  it('reads clients from the registry, the latest registration winning', async () => {
    const adapter = store.factory('Client');
    expect(await adapter.find('console')).toBeUndefined();
    const spec = {
      client_id: 'console',
      client_secret: 'a-long-secret',
      redirect_uris: ['http://127.0.0.1:1/cb'],
      post_logout_redirect_uris: [],
    };
    clients.upsert(spec);
    clients.upsert({ ...spec, redirect_uris: ['http://127.0.0.1:2/cb'] });
    expect(await adapter.find('console')).toMatchObject({
      redirect_uris: ['http://127.0.0.1:2/cb'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    });
    await expect(adapter.upsert('x', {})).rejects.toThrow(/control API/);
    expect(clients.list()).toEqual([
      { client_id: 'console', redirect_uris: ['http://127.0.0.1:2/cb'], post_logout_redirect_uris: [] },
    ]);
  });
});
