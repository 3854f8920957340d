// A fourth target, added the way a new vendor is: one definition registered in the target registry, no other file
// edited. Sync reads its variables, its concurrency and its routing name from the registry and delivers to it through
// the real use cases and workers (real PostgreSQL + Kafka); the authority is an in-memory fake.
import { envInt, envString } from '@lib/common';
import { registerTarget, TargetAdapterDeps, TargetDefinition, TargetEnv } from '@lib/providers';
import { pollUntil } from '@lib/testing';
import { createTargetAdapters } from '../src/targets/target-adapters.factory';
import { FakeTargetAdapter } from './support/fake-target.adapter';
import { blueInvoice } from './support/invoices';
import { SyncHarness } from './support/sync-harness';

jest.setTimeout(120_000);

/** What the fourth platform's factory was given, to check that the registry's settings reached it. */
const built: { settings?: { baseURL: string }; deps?: TargetAdapterDeps; adapter?: FakeTargetAdapter } = {};

const env = {
  FAPIAOYUN_BASE_URL: envString(''),
  FAPIAOYUN_TIMEOUT_MS: envInt(3_000, 50, 300_000),
};

const fapiaoyun: TargetDefinition<{ baseURL: string }, typeof env> = {
  name: 'fapiaoyun',
  role: 'platform',
  envPrefix: 'FAPIAOYUN',
  concurrency: 2,
  env,
  missing: () => [],
  settings: (e: TargetEnv) => (e.FAPIAOYUN_BASE_URL ? { baseURL: String(e.FAPIAOYUN_BASE_URL) } : undefined),
  createAdapter(settings, deps) {
    Object.assign(built, { settings, deps, adapter: new FakeTargetAdapter('fapiaoyun') });
    return built.adapter!;
  },
};
registerTarget(fapiaoyun);

describe('a fourth target declared in one file (real PostgreSQL + Kafka)', () => {
  const h = new SyncHarness();
  const authority = new FakeTargetAdapter('authority');
  const SELLER = blueInvoice().sellerTaxNo;

  beforeAll(async () => {
    await h.start(
      (tokens) => [
        authority,
        // the fourth platform's adapter comes from the production factory, through its registry entry
        ...createTargetAdapters(h.config, tokens).filter((a) => a.target === 'fapiaoyun'),
      ],
      {
        FAPIAOYUN_BASE_URL: 'https://fapiaoyun.example',
        SYNC_CONCURRENCY_FAPIAOYUN: '3',
        SYNC_DEFAULT_PLATFORMS: 'fapiaoyun',
      },
    );
  });
  afterAll(() => h.stop());

  const deliveries = (key: string) =>
    h.query<{ target: string; status: string; relay_via: string | null }>(
      'SELECT target, status, relay_via FROM deliveries WHERE invoice_key = $1 ORDER BY target',
      [key],
    );

  it('reads its variables and SYNC_CONCURRENCY_<PREFIX> from its definition', () => {
    expect(built.settings).toEqual({ baseURL: 'https://fapiaoyun.example' });
    expect(built.deps?.maxSockets).toBe(3);
    expect(h.config.FAPIAOYUN_TIMEOUT_MS).toBe(3_000);
  });

  it('delivers to it as a default platform, alongside the authority', async () => {
    const invoice = blueInvoice();
    await h.sendInvoiceEvent('issued', invoice);
    const rows = await pollUntil(
      () => deliveries(invoice.number),
      (r) => r.length === 2 && r.every((d) => d.status === 'accepted'),
      { what: 'delivered to the authority and the fourth platform' },
    );
    expect(rows.map((r) => r.target)).toEqual(['authority', 'fapiaoyun']);
    expect(built.adapter!.uploads.filter((u) => u.invoiceKey === invoice.number)).toHaveLength(1);
    expect(built.adapter!.duplicates).toBe(0);
    const results = await pollUntil(
      () => h.resultsFor(invoice.number),
      (r) => r.length >= 2,
      { what: 'both results' },
    );
    // sync.result's contract takes any registered target's name: the fourth's outcome is announced too
    expect(results.map((r) => `${r.target}:${r.outcome}`).sort()).toEqual([
      'authority:accepted',
      'fapiaoyun:accepted',
    ]);
  });

  it('accepts it in a routing, answers 400 with a code for an unregistered platform, and fails over through it', async () => {
    const unknown = await h.api('PUT', `/v1/routing/${SELLER}`, {
      platforms: ['nowhere'],
      allowFailover: true,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      error: {
        code: 'INVALID_REQUEST',
        details: [
          { code: 'INVALID_VALUE', field: 'body.platforms.0', message: 'must be a registered platform' },
        ],
      },
    });
    const queryOnly = await h.api('PUT', `/v1/routing/${SELLER}`, { platforms: ['fapiaoyun', 'nuonuo'], allowFailover: true });
    expect(queryOnly.status).toBe(400);
    expect(queryOnly.body).toMatchObject({
      error: { code: 'PLATFORM_QUERY_ONLY', details: [{ code: 'PLATFORM_QUERY_ONLY', field: 'body.platforms.1' }] },
    });
    const routed = await h.api('PUT', `/v1/routing/${SELLER}`, {
      platforms: ['fapiaoyun'],
      allowFailover: true,
    });
    expect(routed).toMatchObject({ status: 200, body: { targets: ['authority', 'fapiaoyun'] } });

    authority.available = false;
    try {
      const invoice = blueInvoice();
      await h.sendInvoiceEvent('issued', invoice);
      const rows = await pollUntil(
        () => deliveries(invoice.number),
        (r) => r.some((d) => d.status === 'relayed'),
        { what: 'authority delivery relayed through the fourth platform' },
      );
      expect(rows).toEqual([
        { target: 'authority', status: 'relayed', relay_via: 'fapiaoyun' },
        { target: 'fapiaoyun', status: 'accepted', relay_via: null },
      ]);
      expect(authority.uploads.filter((u) => u.invoiceKey === invoice.number)).toHaveLength(0);
    } finally {
      authority.available = true;
    }
  });
});
