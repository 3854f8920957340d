import { parseEnvelope, TOPICS } from '@lib/contracts';
import { RegisteredDevice } from '@lib/device-client';
import { pollUntil, TopicCollector } from '@lib/testing';
import { GatewayHarness, SELLER } from './support/gateway-harness';
import { clearCardBody, monitorBody, reportBody } from './support/invoice-fixtures';

jest.setTimeout(60_000);

type ErrorBody = { error: { code: string; details: { code: string; field: string }[] } };

/** The device's authority number (机器编号): registered, shown, replaced, and carried in its events. */
describe('device number (real PostgreSQL + Kafka)', () => {
  let gw: GatewayHarness;
  let collector: TopicCollector;

  beforeAll(async () => {
    gw = await GatewayHarness.start();
    collector = await gw.collect([TOPICS.deviceEvents]);
  });

  afterAll(async () => {
    await collector?.stop();
    await gw?.close();
  });

  const register = (deviceNo?: unknown) =>
    gw.admin.registerDevice({
      taxNo: SELLER,
      branchId: 'sz-qianhai',
      name: 'front desk',
      ...(deviceNo === undefined ? {} : { deviceNo: deviceNo as string }),
    });

  /** The data of the device event with this eventId, once published. */
  const publishedData = async (eventId: string) => {
    const [message] = await pollUntil(
      () => collector.messages.filter((m) => m.headers['event-id'] === eventId),
      (m) => m.length > 0,
      { what: eventId },
    );
    const parsed = parseEnvelope(TOPICS.deviceEvents, message.value);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    return parsed.envelope.data as Record<string, unknown>;
  };

  it('registers with a device number, returns it in the 201 answer, the device view and the listing', async () => {
    const created = await register('661234567890');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ deviceNo: '661234567890', taxNo: SELLER });
    const [row] = (await gw.dataSource.query('SELECT device_no FROM devices WHERE device_id = $1', [
      created.body.deviceId,
    ])) as { device_no: string }[];
    expect(row.device_no).toBe('661234567890');
    expect((await gw.admin.getDevice(created.body.deviceId)).body.deviceNo).toBe('661234567890');
    const listed = await gw.admin.listDevices({ taxNo: SELLER, limit: 200 });
    expect(listed.body.items.find((d) => d.deviceId === created.body.deviceId)?.deviceNo).toBe(
      '661234567890',
    );
  });

  it('registers without a device number (or with null) as before: deviceNo null', async () => {
    for (const deviceNo of [undefined, null]) {
      const created = await register(deviceNo);
      expect(created).toMatchObject({ status: 201, body: { deviceNo: null } });
      expect((await gw.admin.getDevice(created.body.deviceId)).body.deviceNo).toBeNull();
    }
  });

  it.each([
    ['', 'INVALID_DEVICE_NO'],
    ['6'.repeat(33), 'INVALID_DEVICE_NO'],
    ['6612 3456', 'INVALID_DEVICE_NO'],
    ['机器编号', 'INVALID_DEVICE_NO'],
    ['66_12', 'INVALID_DEVICE_NO'],
    [661234567890, 'INVALID_TYPE'],
  ])(
    'refuses the device number %j with 400 VALIDATION_FAILED (%s) and registers nothing',
    async (bad, code) => {
      const before = await gw.count('devices');
      const response = await register(bad);
      expect(response.status).toBe(400);
      const body = response.body as unknown as ErrorBody;
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(body.error.details.map((d) => [d.field, d.code])).toEqual([['deviceNo', code]]);
      expect(await gw.count('devices')).toBe(before);
    },
  );

  it('accepts the longest and the mixed forms (32 characters of 0-9, A-Z, a-z and -)', async () => {
    for (const deviceNo of ['A'.repeat(32), 'TCM-2026-a7', '0']) {
      expect(await register(deviceNo)).toMatchObject({ status: 201, body: { deviceNo } });
    }
  });

  it('carries the registered number (or null) in clear-card, report and monitor events', async () => {
    const numbered = (await register('661234567891')).body as RegisteredDevice;
    const plain = (await register()).body as RegisteredDevice;
    const bodies = [clearCardBody(), reportBody(), monitorBody()];
    const client = gw.client(numbered);
    expect((await client.postClearCard(bodies[0])).status).toBe(202);
    expect((await client.postReport(bodies[1])).status).toBe(202);
    expect((await client.postMonitor(bodies[2])).status).toBe(202);
    for (const body of bodies) {
      expect(await publishedData(body.eventId as string)).toMatchObject({
        deviceId: numbered.deviceId,
        deviceNo: '661234567891',
      });
    }
    const unnumbered = clearCardBody();
    expect((await gw.client(plain).postClearCard(unnumbered)).status).toBe(202);
    const data = await publishedData(unnumbered.eventId as string);
    expect(data).toMatchObject({ deviceId: plain.deviceId, deviceNo: null });
  });

  it('sets, replaces and forgets the number later; the next events carry the new one', async () => {
    const device = (await register()).body as RegisteredDevice;
    const set = await gw.admin.setDeviceNo(device.deviceId, '661234567892');
    expect(set).toMatchObject({ status: 200, body: { deviceId: device.deviceId, deviceNo: '661234567892' } });
    const first = clearCardBody();
    expect((await gw.client(device).postClearCard(first)).status).toBe(202);
    expect(await publishedData(first.eventId as string)).toMatchObject({ deviceNo: '661234567892' });

    expect((await gw.admin.setDeviceNo(device.deviceId, '661234567893')).body.deviceNo).toBe('661234567893');
    const second = clearCardBody();
    expect((await gw.client(device).postClearCard(second)).status).toBe(202);
    expect(await publishedData(second.eventId as string)).toMatchObject({ deviceNo: '661234567893' });

    expect((await gw.admin.setDeviceNo(device.deviceId, null)).body.deviceNo).toBeNull();
    const bad = await gw.admin.setDeviceNo(device.deviceId, 'no spaces');
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect((bad.body as unknown as ErrorBody).error.details).toEqual([
      expect.objectContaining({ field: 'deviceNo', code: 'INVALID_DEVICE_NO' }),
    ]);
    expect(await gw.admin.setDeviceNo('dev_none', '661234567894')).toMatchObject({
      status: 404,
      body: { error: { code: 'DEVICE_NOT_FOUND' } },
    });
  });
});
