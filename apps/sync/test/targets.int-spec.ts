import { ResilientHttpClient } from '@lib/resilience';
import { FakeTargetAdapter } from './support/fake-target.adapter';
import { SyncHarness } from './support/sync-harness';

jest.setTimeout(120_000);

/** `GET /v1/targets`: the breakers of the targets, as the console's overview shows them. */
describe('sync targets API (real PostgreSQL + Kafka)', () => {
  const h = new SyncHarness();
  // Baiwang's client as its gateway builds it (one breaker, named after the target), towards a port nobody listens on.
  const baiwang = new ResilientHttpClient({
    target: 'baiwang',
    baseURL: 'http://127.0.0.1:1',
    timeoutMs: 300,
    breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 },
  });

  beforeAll(async () => {
    await h.start(() => [new FakeTargetAdapter('authority')]);
  });
  afterAll(async () => {
    baiwang.shutdown();
    await h.stop();
  });

  it('answers 401 without a token', async () => {
    expect(await h.api('GET', '/v1/targets', undefined, null)).toMatchObject({ status: 401 });
  });

  it('lists every registered target closed until a breaker opens, then that one open with its failures', async () => {
    const before = await h.api('GET', '/v1/targets');
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      items: [
        { target: 'authority', breaker: 'closed', since: null },
        {
          target: 'baiwang',
          breaker: 'closed',
          since: null,
          stats: { successes: 0, failures: 0, timeouts: 0, rejects: 0 },
        },
        { target: 'nuonuo', breaker: 'closed', since: null },
      ],
    });

    for (let i = 0; i < 3; i++) await baiwang.request({ url: '/' }).catch(() => undefined);
    await baiwang.request({ url: '/' }).catch(() => undefined); // refused by the open breaker
    expect(baiwang.isOpen).toBe(true);

    const after = await h.api('GET', '/v1/targets');
    const items = after.body.items as { target: string; breaker: string; since: string | null }[];
    expect(items.find((t) => t.target === 'baiwang')).toEqual({
      target: 'baiwang',
      breaker: 'open',
      since: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      stats: { successes: 0, failures: 3, timeouts: 0, rejects: 1 },
    });
    expect(Date.now() - Date.parse(items.find((t) => t.target === 'baiwang')!.since!)).toBeLessThan(60_000);
    expect(items.find((t) => t.target === 'authority')).toMatchObject({ breaker: 'closed' });
  });
});
