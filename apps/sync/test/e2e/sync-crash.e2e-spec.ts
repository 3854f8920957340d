import { pollUntil } from '@lib/testing';
import { blueInvoice } from '../support/invoices';
import { SyncProcess } from './support/sync-process';
import { directAuthorityUploads, e2eSandbox, newSeller, RunningSandbox, syncEnvFor } from './support/sandbox-env';

jest.setTimeout(150_000);

describe('sync killed with SIGKILL mid-delivery', () => {
  let sandbox: RunningSandbox;
  const sync = new SyncProcess();

  beforeAll(async () => {
    sandbox = await e2eSandbox();
  });
  afterAll(async () => {
    await sync.stop();
    await sandbox.close();
  });

  it('loses nothing and duplicates nothing at any target after a restart', async () => {
    const N = 150;
    for (const target of ['authority', 'baiwang'] as const) sandbox.control.setFaults(target, { latency: { fixedMs: 25, jitterMs: 25 } });
    await sync.start(syncEnvFor(sandbox, { SYNC_CONCURRENCY_AUTHORITY: '8', SYNC_CONCURRENCY_BAIWANG: '4' }));
    const seller = newSeller();
    const invoices = Array.from({ length: N }, () => blueInvoice({ sellerTaxNo: seller }));
    await sync.send('issued', invoices);
    await pollUntil(() => sync.statusCounts(), (c) => (c['authority:accepted'] ?? 0) >= N / 4, { timeoutMs: 60_000, what: 'a quarter delivered' });
    await sync.kill();
    const atKill = await sync.statusCounts();
    expect(atKill['authority:accepted'] ?? 0).toBeLessThan(N); // killed mid-delivery
    await sync.restart();
    const done = await pollUntil(
      () => sync.statusCounts(),
      (c) => ['authority', 'baiwang'].every((t) => c[`${t}:accepted`] === N),
      { timeoutMs: 90_000, intervalMs: 500, what: 'every delivery accepted after the restart' },
    );
    expect(Object.keys(done).sort()).toEqual(['authority:accepted', 'baiwang:accepted']);
    const s = sandbox.control.state();
    expect([s.baiwang.duplicates, s.nuonuo.received]).toEqual([0, 0]);
    expect(directAuthorityUploads(s)).toBeLessThanOrEqual(N);
    for (const invoice of invoices.slice(0, 20)) expect(sandbox.control.authorityRecord(invoice.number)).not.toBeNull();
  });
});
