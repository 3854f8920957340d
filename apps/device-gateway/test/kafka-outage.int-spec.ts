import { TOPICS } from '@lib/contracts';
import { RegisteredDevice } from '@lib/device-client';
import { KAFKA_CLIENT } from '@lib/messaging';
import { pollUntil, TopicCollector } from '@lib/testing';
import { freePort } from '../../../test/support/free-port';
import { GatewayHarness } from './support/gateway-harness';
import { item } from './support/invoice-fixtures';
import { FaultyKafka } from './support/faulty-kafka';

jest.setTimeout(120_000);

interface Readiness {
  status: string;
  details: Record<string, { status: string; required?: boolean; reachable?: boolean; message?: string }>;
}

describe('Kafka outage', () => {
  let faulty: FaultyKafka;
  let gw: GatewayHarness;
  let collector: TopicCollector;
  let device: RegisteredDevice;

  beforeAll(async () => {
    faulty = new FaultyKafka(await freePort());
    gw = await GatewayHarness.start({
      override: (b) => b.overrideProvider(KAFKA_CLIENT).useValue(faulty.kafka),
    });
    collector = await gw.collect([TOPICS.invoiceEvents]);
    device = await gw.registerDevice();
  });

  afterAll(async () => {
    faulty?.restore();
    await collector?.stop();
    await gw?.close();
  });

  /** The value of one series in /metrics. */
  async function metric(series: string): Promise<number | undefined> {
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  }

  it('keeps accepting and stays ready while the broker is unreachable; once it is back every invoice arrives exactly once', async () => {
    const client = gw.client(device);
    const before = [item()];
    expect((await client.postInvoices(before)).status).toBe(200);
    await pollUntil(
      () => collector.messages.length,
      (n) => n === 1,
      { what: 'first message' },
    );

    faulty.down();
    const sent: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const items = Array.from({ length: 100 }, () => item());
      const answer = await client.postInvoices(items);
      expect(answer.status).toBe(200);
      expect(answer.body.results.every((r) => r.status === 'accepted')).toBe(true);
      sent.push(...items.map((i) => String(i.eventId)));
    }
    // Still ready (the database answers): Kubernetes keeps sending devices to it. Kafka is reported, not required.
    const readiness = await pollUntil(
      () =>
        fetch(`${gw.url}/readyz`).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as Readiness,
        })),
      (r) => r.body.details.kafka?.reachable === false,
      { what: 'Kafka reported unreachable' },
    );
    expect(readiness.status).toBe(200);
    expect(readiness.body.details.database).toEqual({ status: 'up' });
    expect(readiness.body.details.kafka).toMatchObject({ status: 'up', required: false, reachable: false });
    expect(await metric('readiness_check_up{check="kafka",required="false"}')).toBe(0);
    expect(await metric('readiness_check_up{check="database",required="true"}')).toBe(1);
    expect(await gw.count('outbox')).toBeGreaterThanOrEqual(1_000);
    expect(collector.messages).toHaveLength(1);

    faulty.restore();
    await pollUntil(
      () => collector.messages.length,
      (n) => n >= 1_001,
      { timeoutMs: 90_000, what: '1,001 messages in Kafka' },
    );
    await pollUntil(
      () => gw.count('outbox'),
      (n) => n === 0,
      { what: 'outbox drained' },
    );
    const back = await pollUntil(
      async () => ((await (await fetch(`${gw.url}/readyz`)).json()) as Readiness).details.kafka,
      (kafka) => kafka?.reachable === true,
      { what: 'Kafka reported reachable again' },
    );
    expect(back).toEqual({ status: 'up', required: false, reachable: true });
    expect(await metric('readiness_check_up{check="kafka",required="false"}')).toBe(1);
    await new Promise((r) => setTimeout(r, 1_000));
    const ids = collector.messages.map((m) => m.headers['event-id']);
    expect(ids).toHaveLength(1_001);
    expect(new Set(ids).size).toBe(1_001);
    expect(new Set(ids)).toEqual(new Set([String(before[0].eventId), ...sent]));
  });
});
