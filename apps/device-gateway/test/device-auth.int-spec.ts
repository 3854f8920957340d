import { CLOCK, ManualClock } from '@lib/common';
import { RegisteredDevice } from '@lib/device-client';
import { pollUntil } from '@lib/testing';
import { NonceCleanupService } from '../src/auth/nonce-cleanup.service';
import { GatewayHarness } from './support/gateway-harness';
import { rawPost, signed } from './support/http';
import { clearCardBody, item } from './support/invoice-fixtures';

jest.setTimeout(90_000);

const PATH = '/v1/invoices';

describe('device authentication (real PostgreSQL)', () => {
  let gw: GatewayHarness;
  let device: RegisteredDevice;
  const body = () => JSON.stringify({ invoices: [item()] });
  const post = (b: string, headers: Record<string, string>, path = PATH) => rawPost(gw.url, path, b, headers);

  beforeAll(async () => {
    gw = await GatewayHarness.start({ env: { GATEWAY_DEVICE_CACHE_TTL_MS: '1000' } });
    device = await gw.registerDevice();
  });

  afterAll(() => gw?.close());

  it('accepts a correctly signed request', async () => {
    const b = body();
    expect((await post(b, signed(device, PATH, b))).status).toBe(200);
  });

  it('verifies the raw body bytes exactly as sent (spacing and \\u escapes a re-serialisation would lose)', async () => {
    const json = JSON.stringify({ invoices: [item({ buyerName: '个人' })] });
    const odd = `  ${json.replace('"invoices":', '"invoices" :  ').replace('个人', '\\u4e2a\\u4eba')}\n`;
    const response = await post(odd, signed(device, PATH, odd));
    expect(response.status).toBe(200);
    expect((response.body.results as { status: string }[])[0].status).toBe('accepted');
  });

  it('MISSING_AUTH_HEADERS names every missing header', async () => {
    const b = body();
    const none = await post(b, { 'Content-Type': 'application/json' });
    expect(none).toMatchObject({ status: 401, body: { error: { code: 'MISSING_AUTH_HEADERS' } } });
    expect(none.body.error?.details).toHaveLength(4);
    const { 'X-Signature': _dropped, ...rest } = signed(device, PATH, b);
    const one = await post(b, rest);
    expect(one.body.error).toMatchObject({
      code: 'MISSING_AUTH_HEADERS',
      details: [{ field: 'x-signature', code: 'REQUIRED' }],
    });
  });

  it.each([
    ['BAD_NONCE_FORMAT', 'short', () => ({ nonce: 'short' })],
    ['BAD_NONCE_FORMAT', 'spaces', () => ({ nonce: 'has spaces and is long enough' })],
    ['BAD_NONCE_FORMAT', '65 characters', () => ({ nonce: 'x'.repeat(65) })],
    ['BAD_TIMESTAMP', 'words', () => ({ timestamp: 'yesterday' as unknown as number })],
    ['BAD_TIMESTAMP', 'exponent', () => ({ timestamp: '1.7e12' as unknown as number })],
    ['CLOCK_SKEW', '301 s old', () => ({ timestamp: Date.now() - 301_000 })],
    ['CLOCK_SKEW', '301 s ahead', () => ({ timestamp: Date.now() + 301_000 })],
  ])('%s (%s)', async (code, _what, parts) => {
    const b = body();
    const response = await post(b, signed(device, PATH, b, parts()));
    expect(response).toMatchObject({ status: 401, body: { error: { code } } });
  });

  it('accepts a timestamp just inside the 300 s window', async () => {
    const b = body();
    expect((await post(b, signed(device, PATH, b, { timestamp: Date.now() - 295_000 }))).status).toBe(200);
  });

  it('UNKNOWN_DEVICE', async () => {
    const b = body();
    const response = await post(b, signed({ deviceId: 'dev_nobody', secret: device.secret }, PATH, b));
    expect(response).toMatchObject({ status: 401, body: { error: { code: 'UNKNOWN_DEVICE' } } });
  });

  it('BAD_SIGNATURE: wrong secret, body changed after signing, other path or query, garbage', async () => {
    const b = body();
    const cases = [
      post(b, signed({ ...device, secret: 'not-the-secret' }, PATH, b)),
      post(b, signed(device, PATH, `${b} `)),
      post(b, signed(device, `${PATH}?x=1`, b)),
      post(b, signed(device, PATH, b), `${PATH}?x=1`),
      post(b, { ...signed(device, PATH, b), 'X-Signature': '!!!' }),
      post(b, signed(device, PATH, b, { method: 'PUT' })),
    ];
    for (const response of await Promise.all(cases)) {
      expect(response).toMatchObject({ status: 401, body: { error: { code: 'BAD_SIGNATURE' } } });
    }
  });

  it('NONCE_REPLAYED: the same signed request twice, on the same or another replica; nothing is stored twice', async () => {
    const b = JSON.stringify({ invoices: [item()] });
    const headers = signed(device, PATH, b);
    expect((await post(b, headers)).status).toBe(200);
    const before = await gw.count('ingested_events');
    expect(await post(b, headers)).toMatchObject({
      status: 401,
      body: { error: { code: 'NONCE_REPLAYED' } },
    });
    const replica = await GatewayHarness.replicaOf(gw);
    try {
      const elsewhere = await rawPost(replica.url, PATH, b, headers);
      expect(elsewhere).toMatchObject({ status: 401, body: { error: { code: 'NONCE_REPLAYED' } } });
    } finally {
      await replica.close();
    }
    expect(await gw.count('ingested_events')).toBe(before);
  });

  it('refuses a body that is not JSON with 415 instead of a misleading signature error', async () => {
    const b = 'invoices=1';
    const response = await post(
      b,
      signed(device, PATH, b, { contentType: 'application/x-www-form-urlencoded' }),
    );
    expect(response).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });
  });

  it('DEVICE_RETIRED, only told to a caller holding the secret; another replica follows within the cache TTL', async () => {
    const victim = await gw.registerDevice();
    const replica = await GatewayHarness.replicaOf(gw, { env: { GATEWAY_DEVICE_CACHE_TTL_MS: '1000' } });
    try {
      const viaReplica = () => replica.client(victim).postClearCard(clearCardBody());
      expect((await viaReplica()).status).toBe(202); // the replica now holds the device in its cache
      expect((await gw.admin.disableDevice(victim.deviceId)).status).toBe(200);
      const disabledAt = Date.now();
      const own = await gw.client(victim).postClearCard(clearCardBody());
      expect(own).toMatchObject({ status: 401, body: { error: { code: 'DEVICE_RETIRED' } } });
      await pollUntil(viaReplica, (r) => r.status === 401, {
        timeoutMs: 5_000,
        intervalMs: 100,
        what: 'replica refuses',
      });
      expect(Date.now() - disabledAt).toBeLessThan(1_000 + 1_000);
      expect((await viaReplica()).body).toMatchObject({ error: { code: 'DEVICE_RETIRED' } });
      const forged = await gw.client({ ...victim, secret: 'guess' }).postClearCard(clearCardBody());
      expect(forged.body).toMatchObject({ error: { code: 'BAD_SIGNATURE' } });
    } finally {
      await replica.close();
    }
  });

  it('counts failures by code on /metrics', async () => {
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    for (const code of [
      'MISSING_AUTH_HEADERS',
      'BAD_SIGNATURE',
      'NONCE_REPLAYED',
      'CLOCK_SKEW',
      'DEVICE_RETIRED',
    ]) {
      expect(metrics).toMatch(new RegExp(`gateway_auth_failures_total\\{code="${code}"\\} [1-9]`));
    }
    expect(metrics).toMatch(
      /gateway_requests_total\{operation="ingest_invoices",outcome="unauthorized"\} [1-9]/,
    );
    expect(metrics).toMatch(/gateway_invoice_items_total\{status="accepted"\} [1-9]/);
  });

  it('purges expired nonces', async () => {
    await gw.dataSource.query(
      `INSERT INTO device_nonces (device_id, nonce, expires_at)
       SELECT 'dev_old', 'nonce-' || g, now() - interval '1 hour' FROM generate_series(1, 50) g`,
    );
    expect(await gw.app.get(NonceCleanupService).purge()).toBeGreaterThanOrEqual(50);
    const [{ n }] = (await gw.dataSource.query(
      `SELECT count(*)::int AS n FROM device_nonces WHERE device_id = 'dev_old'`,
    )) as {
      n: number;
    }[];
    expect(n).toBe(0);
  });
});

describe('rate limit', () => {
  let gw: GatewayHarness;
  beforeAll(async () => {
    gw = await GatewayHarness.start({ env: { GATEWAY_RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => gw?.close());

  it('answers 429 RATE_LIMITED with Retry-After once a device has used its tokens; other devices are unaffected', async () => {
    const device = await gw.registerDevice();
    const client = gw.client(device);
    for (let i = 0; i < 3; i++) expect((await client.postClearCard(clearCardBody())).status).toBe(202);
    const limited = await client.postClearCard(clearCardBody());
    expect(limited).toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED' } } });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    const other = await gw.registerDevice();
    expect((await gw.client(other).postClearCard(clearCardBody())).status).toBe(202);
  });

  it('refuses replays before taking a token: they never drain the device’s bucket', async () => {
    const device = await gw.registerDevice();
    const path = `/v1/devices/${device.deviceId}/clear-card`;
    const b = JSON.stringify(clearCardBody());
    const headers = signed(device, path, b);
    expect((await rawPost(gw.url, path, b, headers)).status).toBe(202);
    for (let i = 0; i < 4; i++) {
      const replay = await rawPost(gw.url, path, b, headers);
      expect(replay).toMatchObject({ status: 401, body: { error: { code: 'NONCE_REPLAYED' } } });
    }
    const client = gw.client(device);
    for (let i = 0; i < 2; i++) expect((await client.postClearCard(clearCardBody())).status).toBe(202);
  });
});

describe('the edge of the skew window', () => {
  const clock = new ManualClock(new Date());
  let gw: GatewayHarness;
  beforeAll(async () => {
    gw = await GatewayHarness.start({ override: (b) => b.overrideProvider(CLOCK).useValue(clock) });
  });
  afterAll(() => gw?.close());

  it('accepts a timestamp exactly 300 s off and keeps its nonce as long as the request is acceptable', async () => {
    const device = await gw.registerDevice();
    const path = `/v1/devices/${device.deviceId}/clear-card`;
    const b = JSON.stringify(clearCardBody());
    const headers = signed(device, path, b, { timestamp: clock.now().getTime() - 300_000 });
    expect((await rawPost(gw.url, path, b, headers)).status).toBe(202);
    expect(await rawPost(gw.url, path, b, headers)).toMatchObject({
      status: 401,
      body: { error: { code: 'NONCE_REPLAYED' } },
    });
    clock.advance(1);
    expect(await rawPost(gw.url, path, b, headers)).toMatchObject({
      status: 401,
      body: { error: { code: 'CLOCK_SKEW' } },
    });
    const ahead = signed(device, path, b, { timestamp: clock.now().getTime() + 300_000 });
    expect((await rawPost(gw.url, path, b, ahead)).status).toBe(200); // same eventId: duplicate, but accepted
  });
});
