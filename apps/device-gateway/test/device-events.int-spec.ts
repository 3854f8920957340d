import { randomUUID } from 'node:crypto';
import { parseEnvelope, TOPICS } from '@lib/contracts';
import { DeviceClient, RegisteredDevice } from '@lib/device-client';
import { pollUntil, TopicCollector } from '@lib/testing';
import { GatewayHarness } from './support/gateway-harness';
import { clearCardBody, monitorBody, reportBody } from './support/invoice-fixtures';

jest.setTimeout(60_000);

describe('device events (real PostgreSQL + Kafka)', () => {
  let gw: GatewayHarness;
  let collector: TopicCollector;
  let device: RegisteredDevice;
  let client: DeviceClient;

  beforeAll(async () => {
    gw = await GatewayHarness.start();
    collector = await gw.collect([TOPICS.deviceEvents]);
    device = await gw.registerDevice();
    client = gw.client(device);
  });

  afterAll(async () => {
    await collector?.stop();
    await gw?.close();
  });

  const published = (eventId: string) => collector.messages.filter((m) => m.headers['event-id'] === eventId);

  it.each([
    [
      'clear-card',
      'device.clear-card',
      () => clearCardBody(),
      (c: DeviceClient, b: unknown) => c.postClearCard(b),
    ],
    ['reports', 'device.report', () => reportBody(), (c: DeviceClient, b: unknown) => c.postReport(b)],
    ['monitor', 'device.monitor', () => monitorBody(), (c: DeviceClient, b: unknown) => c.postMonitor(b)],
  ])(
    '%s: 202 accepted, published to device.events.v1 keyed by deviceId; a repeat is 200 duplicate',
    async (_path, type, make, post) => {
      const body = make();
      const first = await post(client, body);
      expect(first).toMatchObject({ status: 202, body: { status: 'accepted' } });
      const again = await post(client, body);
      expect(again).toMatchObject({ status: 200, body: { status: 'duplicate' } });

      const [message] = await pollUntil(
        () => published(body.eventId as string),
        (m) => m.length > 0,
        { what: type },
      );
      expect(message.topic).toBe(gw.topic(TOPICS.deviceEvents));
      expect(message.key).toBe(device.deviceId);
      expect(message.headers).toMatchObject({ 'event-id': body.eventId, 'event-type': type });
      expect(message.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      const parsed = parseEnvelope(TOPICS.deviceEvents, message.value);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
      expect(parsed.envelope.data).toMatchObject({
        deviceId: device.deviceId,
        taxNo: device.taxNo,
        branchId: device.branchId,
        deviceNo: null,
        deviceName: `device ${device.branchId}`,
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(published(body.eventId as string)).toHaveLength(1);
    },
  );

  it('answers 409 IDEMPOTENCY_CONFLICT when an eventId comes back with other content', async () => {
    const body = clearCardBody();
    await client.postClearCard(body);
    const other = await client.postClearCard({ ...body, status: 'failed', errorCode: 'E1' });
    expect(other).toMatchObject({ status: 409, body: { error: { code: 'IDEMPOTENCY_CONFLICT' } } });
  });

  it('refuses a path naming another device with 403 DEVICE_MISMATCH, after authenticating', async () => {
    const other = await gw.registerDevice();
    const response = await client.send('POST', `/v1/devices/${other.deviceId}/clear-card`, {
      body: clearCardBody(),
    });
    expect(response).toMatchObject({ status: 403, body: { error: { code: 'DEVICE_MISMATCH' } } });
  });

  it('answers 400 VALIDATION_FAILED with every field error', async () => {
    const response = await client.postMonitor(
      monitorBody({ eventId: 'x', lockDate: '2025-02-30', offlineAmount: 12 }),
    );
    expect(response.status).toBe(400);
    const { error } = response.body as unknown as {
      error: { code: string; details: { code: string; field: string }[] };
    };
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.map((d) => [d.field, d.code])).toEqual(
      expect.arrayContaining([
        ['eventId', 'INVALID_FORMAT'],
        ['lockDate', 'INVALID_FORMAT'],
        ['offlineAmount', 'INVALID_TYPE'],
      ]),
    );
    const notObject = await client.send('POST', `/v1/devices/${device.deviceId}/reports`, {
      body: [randomUUID()],
    });
    expect(notObject).toMatchObject({ status: 400, body: { error: { code: 'INVALID_BODY' } } });
  });

  it('refuses a report count beyond a 32-bit integer at the edge (reconcile stores counts as int)', async () => {
    const total = { type: 'E_VAT_GENERAL', amount: '1.00', taxAmount: '0.13' };
    const tooMany = reportBody({ totals: [{ ...total, count: 2_147_483_648 }] });
    const response = await client.postReport(tooMany);
    expect(response).toMatchObject({
      status: 400,
      body: {
        error: { code: 'VALIDATION_FAILED', details: [{ code: 'TOO_LARGE', field: 'totals[0].count' }] },
      },
    });
    expect(published(tooMany.eventId as string)).toEqual([]);
    const most = reportBody({ totals: [{ ...total, count: 2_147_483_647 }] });
    expect((await client.postReport(most)).status).toBe(202);
  });
});
