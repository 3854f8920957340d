import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { isAppError } from '@lib/common';
import { createServiceDataSource } from '@lib/persistence';
import { StoredToken, TOKEN_STORE, TokenStore } from '@lib/providers';
import { SealPlatformTokens1764000000017 } from '../src/persistence/migrations/seal-platform-tokens.migration';
import { PgTokenStore } from '../src/targets/pg-token.store';
import { PlatformTokenRepository } from '../src/targets/platform-token.repository';
import { FakeTargetAdapter } from './support/fake-target.adapter';
import { SyncHarness } from './support/sync-harness';

jest.setTimeout(120_000);

const K1 = randomBytes(32).toString('base64');
const K2 = randomBytes(32).toString('base64');
const HOUR = 3_600_000;

/** A token with random, recognisable contents. */
const tokenOf = (expiresInMs = HOUR): StoredToken => ({
  accessToken: `access-${randomBytes(12).toString('hex')}`,
  refreshToken: `refresh-${randomBytes(12).toString('hex')}`,
  expiresAt: new Date(Date.now() + expiresInMs),
});
const valid = (t: StoredToken) => t.expiresAt.getTime() > Date.now() + 60_000;
const never = () => false;

interface SealedColumns {
  access_key_id: string;
  refresh_key_id: string | null;
}

/** Platform tokens sealed at rest (issue 17) on the real PostgreSQL, with several stores standing for replicas. */
describe('platform tokens at rest (real PostgreSQL)', () => {
  const h = new SyncHarness();
  const replicas: DataSource[] = [];
  let store: TokenStore;

  beforeAll(async () => {
    await h.start(() => [new FakeTargetAdapter('authority')], { SYNC_MASTER_KEYS: `k1:${K1}` });
    store = h.app.get<TokenStore>(TOKEN_STORE);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await Promise.all(replicas.map((ds) => ds.destroy()));
    await h.stop();
  });

  /** Another replica: its own connection pool on the same schema, with the keys it is given. */
  async function replica(keys: string, activeKeyId = ''): Promise<PgTokenStore> {
    const ds = createServiceDataSource({ url: h.config.DATABASE_URL, schema: h.schema, poolSize: 4 });
    await ds.initialize();
    replicas.push(ds);
    return new PgTokenStore(new PlatformTokenRepository(ds), {
      SYNC_MASTER_KEYS: keys,
      SYNC_ACTIVE_KEY_ID: activeKeyId,
    });
  }

  const rowOf = async (key: string) =>
    (await h.query<Record<string, unknown>>('SELECT * FROM platform_tokens WHERE token_key = $1', [key]))[0];
  const keyIdsOf = async (key: string) => {
    const row = (await rowOf(key)) as unknown as SealedColumns;
    return [row.access_key_id, row.refresh_key_id];
  };
  const save = (s: TokenStore, key: string, token: StoredToken) =>
    s.renew(key, () => Promise.resolve(token), never);

  it('migrates by dropping plaintext rows: no plaintext column and no plaintext token is left', async () => {
    const migration = new SealPlatformTokens1764000000017();
    const runner = h.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      await runner.query(
        `INSERT INTO platform_tokens (token_key, access_token, refresh_token, expires_at, updated_at)
         VALUES ('nuonuo:legacy', 'legacy-plaintext-access', 'legacy-plaintext-refresh', now() + interval '1 hour', now())`,
      );
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await h.query('SELECT * FROM platform_tokens')).toEqual([]);
    const columns = await h.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'platform_tokens' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => c.column_name)).toEqual([
      'token_key',
      'access_key_id',
      'access_iv',
      'access_ciphertext',
      'access_tag',
      'refresh_key_id',
      'refresh_iv',
      'refresh_ciphertext',
      'refresh_tag',
      'expires_at',
      'updated_at',
    ]);
    // The token is obtained again at the next call.
    let fetched: StoredToken | undefined | 'not called' = 'not called';
    const fresh = tokenOf();
    await store.renew('nuonuo:legacy', (current) => ((fetched = current), Promise.resolve(fresh)), valid);
    expect(fetched).toBeUndefined();
    expect(await store.get('nuonuo:legacy')).toEqual(fresh);
  });

  it('writes neither token in clear: the row’s bytes do not contain them, and every replica with the key reads them', async () => {
    const token = tokenOf();
    await save(store, 'baiwang:app-1', token);
    const row = await rowOf('baiwang:app-1');
    const bytes = Buffer.concat(
      Object.values(row).map((value) =>
        Buffer.isBuffer(value)
          ? value
          : Buffer.from(value instanceof Date ? value.toISOString() : String(value)),
      ),
    );
    for (const secret of [token.accessToken, token.refreshToken!]) {
      expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'utf8').toString('hex'))).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'utf8').toString('base64'))).toBe(false);
    }
    // ...while the same scan finds what is stored in clear (so the scan itself can fail).
    expect(bytes.includes(Buffer.from('baiwang:app-1'))).toBe(true);
    const text = await h.query<{ row: string }>(
      "SELECT t::text AS row FROM platform_tokens t WHERE token_key = 'baiwang:app-1'",
    );
    expect(text[0].row).not.toContain(token.accessToken);
    expect(text[0].row).not.toContain(token.refreshToken);
    expect(row).toMatchObject({ access_key_id: 'k1', refresh_key_id: 'k1' });
    expect(await store.get('baiwang:app-1')).toEqual(token);
    expect(await (await replica(`k1:${K1}`)).get('baiwang:app-1')).toEqual(token);
  });

  it('keeps a token without a refresh token without one', async () => {
    const token: StoredToken = {
      accessToken: `access-${randomBytes(8).toString('hex')}`,
      expiresAt: new Date(Date.now() + HOUR),
    };
    await save(store, 'nuonuo:no-refresh', token);
    expect(await keyIdsOf('nuonuo:no-refresh')).toEqual(['k1', null]);
    expect(await store.get('nuonuo:no-refresh')).toEqual(token);
  });

  it('renews a token once when two replicas find it expired at the same time', async () => {
    const other = await replica(`k1:${K1}`);
    await save(store, 'nuonuo:shared', tokenOf(-1_000));
    let fetches = 0;
    const fetch = async (): Promise<StoredToken> => {
      fetches++;
      await new Promise((r) => setTimeout(r, 50));
      return { ...tokenOf(), accessToken: `renewed-${fetches}` };
    };
    const tokens = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? other : store).renew('nuonuo:shared', fetch, valid)),
    );
    expect(fetches).toBe(1);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['renewed-1']));
    expect((await other.get('nuonuo:shared'))?.accessToken).toBe('renewed-1');
  });

  it('rotation: an old key still opens the token, and its next renewal re-seals it under the active key', async () => {
    const old = tokenOf();
    await save(store, 'baiwang:rotating', old);
    const rotated = await replica(`k1:${K1},k2:${K2}`, 'k2');
    expect(await rotated.get('baiwang:rotating')).toEqual(old);
    // Still valid: not renewed, so not re-sealed yet.
    expect(
      await rotated.renew('baiwang:rotating', () => Promise.reject(new Error('not expected')), valid),
    ).toEqual(old);
    expect(await keyIdsOf('baiwang:rotating')).toEqual(['k1', 'k1']);

    const renewed = tokenOf();
    const seen: (StoredToken | undefined)[] = [];
    await rotated.renew(
      'baiwang:rotating',
      (current) => (seen.push(current), Promise.resolve(renewed)),
      never,
    );
    expect(seen).toEqual([old]); // the renewal had the old refresh token at hand
    expect(await keyIdsOf('baiwang:rotating')).toEqual(['k2', 'k2']);
    // k1 may now go: a replica with k2 alone reads the token.
    expect(await (await replica(`k2:${K2}`)).get('baiwang:rotating')).toEqual(renewed);
  });

  it('treats a token under a key no longer configured as absent: logged, re-obtained and sealed under the active key', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const lost = tokenOf();
    await save(store, 'baiwang:secret-app-key', lost);
    const k2only = await replica(`k2:${K2}`);

    expect(await k2only.get('baiwang:secret-app-key')).toBeUndefined();
    const logged = JSON.stringify(errors.mock.calls);
    expect(logged).toContain('SECRET_KEY_UNAVAILABLE');
    expect(logged).toContain('master key \\"k1\\" is not configured');
    for (const secret of ['secret-app-key', lost.accessToken, lost.refreshToken!, K1, K2])
      expect(logged).not.toContain(secret);

    const fresh = tokenOf();
    const seen: (StoredToken | undefined)[] = [];
    await k2only.renew(
      'baiwang:secret-app-key',
      (current) => (seen.push(current), Promise.resolve(fresh)),
      valid,
    );
    expect(seen).toEqual([undefined]); // a full grant, not a refresh with a token it cannot read
    expect(await keyIdsOf('baiwang:secret-app-key')).toEqual(['k2', 'k2']);
    expect(await k2only.get('baiwang:secret-app-key')).toEqual(fresh);
  });

  it('treats a row copied under another token key as absent (the token key is the AAD)', async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    await save(store, 'baiwang:a', tokenOf());
    await save(store, 'baiwang:b', tokenOf());
    await h.query(
      `UPDATE platform_tokens b SET access_key_id = a.access_key_id, access_iv = a.access_iv,
              access_ciphertext = a.access_ciphertext, access_tag = a.access_tag
         FROM platform_tokens a WHERE a.token_key = 'baiwang:a' AND b.token_key = 'baiwang:b'`,
    );
    expect(await store.get('baiwang:b')).toBeUndefined();
    // Nor may the refresh token stand in for the access token within one row.
    await h.query(
      `UPDATE platform_tokens SET access_iv = refresh_iv, access_ciphertext = refresh_ciphertext, access_tag = refresh_tag
        WHERE token_key = 'baiwang:a'`,
    );
    expect(await store.get('baiwang:a')).toBeUndefined();
  });

  it('without keys, neither reads nor asks the platform (no quota spent on a token it could not keep)', async () => {
    const none = await replica('');
    let fetched = false;
    const codeOf = (error: unknown) => (isAppError(error) ? error.code : String(error));
    await expect(none.get('baiwang:app-1').catch(codeOf)).resolves.toBe('SECRET_STORE_DISABLED');
    await expect(
      none.renew('baiwang:app-1', () => ((fetched = true), Promise.resolve(tokenOf())), valid).catch(codeOf),
    ).resolves.toBe('SECRET_STORE_DISABLED');
    expect(fetched).toBe(false);
  });
});
