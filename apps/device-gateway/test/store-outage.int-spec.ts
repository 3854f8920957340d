import { TOPICS } from '@lib/contracts';
import { DeviceClient, RegisteredDevice } from '@lib/device-client';
import { pollUntil, testDatabaseUrl, TopicCollector } from '@lib/testing';
import { GatewayHarness } from './support/gateway-harness';
import { clearCardBody, item } from './support/invoice-fixtures';
import { TcpProxy } from './support/tcp-proxy';

jest.setTimeout(90_000);

/** PostgreSQL reached through a proxy the test cuts: the shared server itself is never stopped. */
describe('PostgreSQL outage', () => {
  const target = new URL(testDatabaseUrl());
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  let gw: GatewayHarness;
  let collector: TopicCollector;
  let device: RegisteredDevice;
  let client: DeviceClient;
  const eventIds = (items: Record<string, unknown>[]) => items.map((i) => String(i.eventId));
  const countIds = async (ids: string[]) => {
    const [row] = (await gw.dataSource.query(
      'SELECT count(*)::int AS n FROM ingested_events WHERE event_id = ANY($1::uuid[])',
      [ids],
    )) as {
      n: number;
    }[];
    return row.n;
  };

  beforeAll(async () => {
    await proxy.start();
    const url = new URL(testDatabaseUrl());
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    // Expected 503s would fill the output with error logs.
    gw = await GatewayHarness.start({
      env: { DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: '4', LOG_LEVEL: 'fatal' },
    });
    collector = await gw.collect([TOPICS.invoiceEvents]);
    device = await gw.registerDevice();
    client = gw.client(device);
    expect((await client.postInvoices([item()])).status).toBe(200);
  });

  afterAll(async () => {
    await proxy.restore().catch(() => undefined);
    await collector?.stop();
    await gw?.close();
    await proxy.cut();
  });

  it('answers 503 STORE_UNAVAILABLE with Retry-After, reports not ready, accepts nothing, and recovers', async () => {
    const unknownDevice = await gw.registerDevice();
    await proxy.cut();

    const items = [item(), item()];
    const refused = await client.postInvoices(items);
    expect(refused).toMatchObject({ status: 503, body: { error: { code: 'STORE_UNAVAILABLE' } } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await client.postClearCard(clearCardBody())).status).toBe(503);
    // A device this replica has not cached yet cannot be checked: 503, never a misleading 401.
    expect((await gw.client(unknownDevice).postClearCard(clearCardBody())).status).toBe(503);
    expect((await gw.admin.registerDevice({ taxNo: device.taxNo, branchId: 'b', name: 'n' })).status).toBe(
      503,
    );
    expect((await fetch(`${gw.url}/readyz`)).status).toBe(503);

    await proxy.restore();
    await pollUntil(
      () => fetch(`${gw.url}/readyz`).then((r) => r.status),
      (s) => s === 200,
      { what: 'ready again' },
    );
    // Nothing of the refused request was kept: the same items are new, not duplicates.
    const retried = await client.postInvoices(items);
    expect(retried.body.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    await pollUntil(
      () => collector.messages.filter((m) => eventIds(items).includes(m.headers['event-id'])).length,
      (n) => n === 2,
      { what: 'retried items in Kafka' },
    );
  });

  it('never keeps half a request when the connection dies mid-transaction', async () => {
    for (const delayMs of [5, 15, 30, 60]) {
      const items = Array.from({ length: 500 }, () => item());
      const posting = client.postInvoices(items);
      await new Promise((r) => setTimeout(r, delayMs));
      await proxy.cut();
      const answer = await posting;
      await proxy.restore();
      await pollUntil(
        () => fetch(`${gw.url}/readyz`).then((r) => r.status),
        (s) => s === 200,
        { what: 'ready again' },
      );
      const stored = await countIds(eventIds(items));
      if (answer.status === 200) {
        expect(answer.body.results.every((r) => r.status === 'accepted')).toBe(true);
        expect(stored).toBe(items.length);
      } else {
        expect(answer).toMatchObject({ status: 503, body: { error: { code: 'STORE_UNAVAILABLE' } } });
        expect(stored).toBe(0);
      }
    }
  });
});
