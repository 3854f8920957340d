import { DeviceChangedEventData, EventEnvelope, parseEnvelope, TOPICS } from '@lib/contracts';
import { RegisteredDevice } from '@lib/device-client';
import { createServiceDataSource, prepareSchema } from '@lib/persistence';
import {
  dropSchema,
  pollUntil,
  requestJson,
  startTestIssuer,
  testDatabaseUrl,
  TestIssuer,
  TestPerson,
  TopicCollector,
  uniqueName,
} from '@lib/testing';
import { GATEWAY_MIGRATIONS } from '../src/persistence/migrations';
import { AnnounceDevicesUseCase } from '../src/use-cases/announce-devices/announce-devices.use-case';
import { ADMIN_TOKEN, GatewayHarness, SELLER } from './support/gateway-harness';
import { clearCardBody } from './support/invoice-fixtures';

jest.setTimeout(90_000);

type DeviceChanged = EventEnvelope<'device.changed'>;

const ADMIN: TestPerson = { sub: 'admin-lc', name: '张伟', roles: ['admin'] };

/**
 * Suspend, enable, retire, hosting and the history of a device (docs/device-operations.md, "Device lifecycle"):
 * each change lands on the device, in device_changes, in the audit log and on Kafka as device.changed, or nowhere.
 */
describe('device lifecycle (real PostgreSQL + Kafka, a test IdP)', () => {
  let issuer: TestIssuer;
  let gw: GatewayHarness;
  let collector: TopicCollector;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    gw = await GatewayHarness.start({ env: issuer.env });
    collector = await gw.collect([TOPICS.deviceEvents]);
  });

  afterAll(async () => {
    await collector?.stop();
    await gw?.close();
    await issuer?.close();
  });

  const tokenOf = (person: TestPerson) => issuer.token(person);
  /** An admin route of one device, as `token`'s holder (the admin-token service account by default). */
  const admin = (method: string, path: string, body?: unknown, token: string = ADMIN_TOKEN) =>
    requestJson(gw.url, method, `/v1/admin/devices/${path}`, body, token);
  const register = (branchId = 'sz-futian', extra: Record<string, unknown> = {}) =>
    requestJson(
      gw.url,
      'POST',
      '/v1/admin/devices',
      { taxNo: SELLER, branchId, name: '前台', ...extra },
      ADMIN_TOKEN,
    );
  const registered = async (branchId?: string): Promise<RegisteredDevice> => {
    const response = await register(branchId);
    expect(response.status).toBe(201);
    return response.body as RegisteredDevice;
  };

  /** Every device.changed of the device that reached Kafka, decoded and validated by the catalogue. */
  const changedOnKafka = (deviceId: string): DeviceChanged[] =>
    collector.messages
      .filter((m) => m.key === deviceId && m.headers['event-type'] === 'device.changed')
      .map((m) => {
        const parsed = parseEnvelope(TOPICS.deviceEvents, m.value);
        if (!parsed.ok) throw new Error(`invalid device.changed: ${JSON.stringify(parsed.error)}`);
        return parsed.envelope as DeviceChanged;
      });
  const awaitChanges = (deviceId: string, count: number) =>
    pollUntil(
      () => changedOnKafka(deviceId),
      (events) => events.length >= count,
      { what: `${count} device.changed of ${deviceId}` },
    );
  const changeRows = async (deviceId: string) =>
    (await gw.dataSource.query(
      'SELECT change, status, reason, actor_kind, actor_subject, actor_name FROM device_changes WHERE device_id = $1 ORDER BY id',
      [deviceId],
    )) as Record<string, string>[];
  const auditOf = async (deviceId: string) =>
    (await gw.dataSource.query(
      `SELECT action, actor_subject, reason FROM audit_log WHERE target_type = 'device' AND target_id = $1 ORDER BY id`,
      [deviceId],
    )) as { action: string; actor_subject: string; reason: string | null }[];
  const deviceRequest = (device: RegisteredDevice) => gw.client(device).postClearCard(clearCardBody());

  it('suspends, enables and retires with a reason and a person: device, history, audit log and Kafka agree', async () => {
    const device = await registered();
    const replacement = await registered();
    const token = await tokenOf(ADMIN);
    const person = { kind: 'person', subject: 'admin-lc', name: '张伟' };

    const suspended = await admin(
      'POST',
      `${device.deviceId}/suspend`,
      { reason: '  盘丢失，待找回 ' },
      token,
    );
    expect(suspended).toMatchObject({
      status: 200,
      body: {
        status: 'suspended',
        statusReason: '盘丢失，待找回',
        statusChangedAt: expect.any(String),
        hostedOn: null,
        updatedBy: person,
      },
    });
    expect(await deviceRequest(device)).toMatchObject({
      status: 401,
      body: { error: { code: 'DEVICE_SUSPENDED' } },
    });

    const enabled = await admin('POST', `${device.deviceId}/enable`, { reason: '已找回' }, token);
    expect(enabled).toMatchObject({ status: 200, body: { status: 'active', statusReason: '已找回' } });
    expect((await deviceRequest(device)).status).toBe(202);

    const retired = await admin(
      'POST',
      `${device.deviceId}/retire`,
      { reason: '换新盘', replacedBy: replacement.deviceId },
      token,
    );
    expect(retired).toMatchObject({
      status: 200,
      body: { status: 'retired', statusReason: '换新盘', replacedBy: replacement.deviceId },
    });
    expect(retired.body.disabledAt).toBe(retired.body.statusChangedAt);
    expect(await deviceRequest(device)).toMatchObject({
      status: 401,
      body: { error: { code: 'DEVICE_RETIRED' } },
    });
    expect((await admin('GET', device.deviceId)).body).toEqual(retired.body);

    const history = await admin('GET', `${device.deviceId}/changes`, undefined, token);
    expect(history.status).toBe(200);
    expect(
      history.body.items.map((c: { change: string; status: string; reason: string | null }) => [
        c.change,
        c.status,
        c.reason,
      ]),
    ).toEqual([
      ['retired', 'retired', '换新盘'],
      ['enabled', 'active', '已找回'],
      ['suspended', 'suspended', '盘丢失，待找回'],
      ['registered', 'active', null],
    ]);
    expect(history.body.items[0]).toMatchObject({
      actor: person,
      detail: { replacedBy: replacement.deviceId },
    });
    expect(history.body.items[3].actor).toEqual({
      kind: 'service',
      subject: 'admin-token',
      name: 'admin-token',
    });
    expect(await changeRows(device.deviceId)).toHaveLength(4);
    expect(await auditOf(device.deviceId)).toEqual([
      { action: 'device.register', actor_subject: 'admin-token', reason: null },
      { action: 'device.suspend', actor_subject: 'admin-lc', reason: '盘丢失，待找回' },
      { action: 'device.enable', actor_subject: 'admin-lc', reason: '已找回' },
      { action: 'device.retire', actor_subject: 'admin-lc', reason: '换新盘' },
    ]);

    const events = await awaitChanges(device.deviceId, 4);
    expect(events.map((e) => e.data.change)).toEqual(['registered', 'suspended', 'enabled', 'retired']);
    expect(events.map((e) => e.data.status)).toEqual(['active', 'suspended', 'active', 'retired']);
    const times = events.map((e) => Date.parse(e.data.changedAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const last: DeviceChangedEventData = events[3].data;
    expect(last).toEqual({
      deviceId: device.deviceId,
      taxNo: SELLER,
      branchId: 'sz-futian',
      deviceName: '前台',
      deviceNo: null,
      status: 'retired',
      hostedOn: null,
      registeredAt: new Date(device.createdAt).toISOString(),
      activatedOn: null,
      change: 'retired',
      changedAt: retired.body.statusChangedAt,
      reason: '换新盘',
      actor: person,
      replacedBy: replacement.deviceId,
    });
    expect(events[0].data).toMatchObject({
      change: 'registered',
      reason: null,
      actor: { subject: 'admin-token' },
    });
    expect(events[3].source).toBe('device-gateway');
  });

  it('suspends a suspended device and retires a retired one idempotently: 200, and nothing more is recorded', async () => {
    const device = await registered();
    const first = await admin('POST', `${device.deviceId}/suspend`, { reason: '盘点' });
    const again = await admin('POST', `${device.deviceId}/suspend`, { reason: '又一次' });
    expect(again).toEqual({ status: 200, body: first.body });
    expect((await admin('POST', `${device.deviceId}/retire`, { reason: '报废' })).status).toBe(200);
    const retiredAgain = await admin('POST', `${device.deviceId}/retire`, { reason: '再报废' });
    const disabledToo = await admin('POST', `${device.deviceId}/disable`);
    expect(retiredAgain).toMatchObject({ status: 200, body: { status: 'retired', statusReason: '报废' } });
    expect(disabledToo.body).toEqual(retiredAgain.body);
    expect((await changeRows(device.deviceId)).map((r) => r.change)).toEqual([
      'registered',
      'suspended',
      'retired',
    ]);
    expect((await auditOf(device.deviceId)).map((a) => a.action)).toEqual([
      'device.register',
      'device.suspend',
      'device.retire',
    ]);
    // A later event of the same key arrives after anything written before it: one more change is the fence.
    expect((await admin('PUT', `${device.deviceId}/device-no`, { deviceNo: '661100000001' })).status).toBe(
      200,
    );
    const events = await awaitChanges(device.deviceId, 4);
    expect(events.map((e) => e.data.change)).toEqual(['registered', 'suspended', 'retired', 'device-no-set']);

    // Enabling an active device changes nothing either.
    const active = await registered();
    const enabled = await admin('POST', `${active.deviceId}/enable`, { reason: '本来就可用' });
    expect(enabled).toMatchObject({ status: 200, body: { status: 'active', statusReason: null } });
    expect(await changeRows(active.deviceId)).toHaveLength(1);
  });

  it('keeps a retired device retired: enable and suspend answer 409 DEVICE_RETIRED and write nothing', async () => {
    const device = await registered();
    await admin('POST', `${device.deviceId}/disable`);
    for (const action of ['enable', 'suspend']) {
      expect(await admin('POST', `${device.deviceId}/${action}`, { reason: '想恢复' })).toMatchObject({
        status: 409,
        body: { error: { code: 'DEVICE_RETIRED' } },
      });
    }
    expect((await admin('GET', device.deviceId)).body).toMatchObject({
      status: 'retired',
      statusReason: 'disabled',
    });
    expect((await changeRows(device.deviceId)).map((r) => [r.change, r.reason])).toEqual([
      ['registered', null],
      ['retired', 'disabled'],
    ]);
    expect(await deviceRequest(device)).toMatchObject({
      status: 401,
      body: { error: { code: 'DEVICE_RETIRED' } },
    });
  });

  it('refuses a missing, blank or too long reason (400 VALIDATION_FAILED naming reason) and a foreign replacement', async () => {
    const device = await registered();
    for (const action of ['suspend', 'enable', 'retire']) {
      for (const body of [
        undefined,
        {},
        { reason: '' },
        { reason: '   ' },
        { reason: 'x'.repeat(501) },
        { reason: 7 },
      ]) {
        const response = await admin('POST', `${device.deviceId}/${action}`, body);
        expect(response).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
        expect(response.body.error.details.map((d: { field: string }) => d.field)).toEqual(['reason']);
      }
    }
    expect((await admin('POST', `${device.deviceId}/suspend`, { reason: '理'.repeat(500) })).status).toBe(
      200,
    );
    const unknown = await admin('POST', `${device.deviceId}/retire`, {
      reason: '换盘',
      replacedBy: 'dev_nobody',
    });
    const itself = await admin('POST', `${device.deviceId}/retire`, {
      reason: '换盘',
      replacedBy: device.deviceId,
    });
    for (const response of [unknown, itself]) {
      expect(response).toMatchObject({
        status: 400,
        body: {
          error: {
            code: 'VALIDATION_FAILED',
            details: [{ field: 'replacedBy', code: 'UNKNOWN_REPLACEMENT' }],
          },
        },
      });
    }
    expect((await admin('GET', device.deviceId)).body.status).toBe('suspended');
    expect((await changeRows(device.deviceId)).map((r) => r.change)).toEqual(['registered', 'suspended']);
  });

  it('hosts a device on a platform only with a device number, and publishes hosting-set', async () => {
    const device = await registered();
    expect(await admin('PUT', `${device.deviceId}/hosting`, { hostedOn: 'baiwang' })).toMatchObject({
      status: 400,
      body: { error: { code: 'DEVICE_NO_REQUIRED' } },
    });
    for (const body of [{ hostedOn: 'nowhere' }, { hostedOn: 'authority' }, { hostedOn: '' }, {}]) {
      const response = await admin('PUT', `${device.deviceId}/hosting`, body);
      expect(response).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
      expect(response.body.error.details[0].field).toBe('hostedOn');
    }
    expect(
      (await admin('PUT', `${device.deviceId}/hosting`, { hostedOn: 'nowhere' })).body.error.details[0].code,
    ).toBe('UNKNOWN_PLATFORM');
    await admin('PUT', `${device.deviceId}/device-no`, { deviceNo: '661100000002' });
    const hosted = await admin('PUT', `${device.deviceId}/hosting`, { hostedOn: 'baiwang' });
    expect(hosted).toMatchObject({ status: 200, body: { hostedOn: 'baiwang', deviceNo: '661100000002' } });
    expect((await admin('PUT', `${device.deviceId}/hosting`, { hostedOn: 'baiwang' })).status).toBe(200);
    // The platform knows the device by its number: it cannot be forgotten while hosted.
    expect(await admin('PUT', `${device.deviceId}/device-no`, { deviceNo: null })).toMatchObject({
      status: 400,
      body: { error: { code: 'DEVICE_NO_REQUIRED' } },
    });
    expect((await admin('PUT', `${device.deviceId}/hosting`, { hostedOn: null })).body.hostedOn).toBeNull();
    const events = await awaitChanges(device.deviceId, 4);
    expect(events.map((e) => [e.data.change, e.data.hostedOn, e.data.deviceNo])).toEqual([
      ['registered', null, null],
      ['device-no-set', null, '661100000002'],
      ['hosting-set', 'baiwang', '661100000002'],
      ['hosting-set', null, '661100000002'],
    ]);
  });

  it('publishes secret-rotated, and carries activatedOn from registration (never a future day)', async () => {
    const response = await register('sz-futian', { activatedOn: '2019-06-01', deviceNo: '661100000003' });
    expect(response).toMatchObject({ status: 201, body: { activatedOn: '2019-06-01' } });
    const device = response.body as RegisteredDevice;
    expect((await admin('POST', `${device.deviceId}/rotate-secret`)).status).toBe(200);
    const events = await awaitChanges(device.deviceId, 2);
    expect(events.map((e) => [e.data.change, e.data.activatedOn, e.data.deviceNo])).toEqual([
      ['registered', '2019-06-01', '661100000003'],
      ['secret-rotated', '2019-06-01', '661100000003'],
    ]);
    expect((await admin('GET', device.deviceId)).body.activatedOn).toBe('2019-06-01');
    for (const activatedOn of ['2999-01-01', '2019-02-30', 'yesterday']) {
      const refused = await register('sz-futian', { activatedOn });
      expect(refused).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
      expect(refused.body.error.details[0].field).toBe('activatedOn');
    }
  });

  it("hides another branch's device and its history from a clerk (404); a clerk may not change devices (403)", async () => {
    const device = await registered('gz-yuexiu');
    const otherClerk = await tokenOf({ sub: 'clerk-sz', roles: ['branch-clerk'], branches: ['sz-futian'] });
    const ownClerk = await tokenOf({ sub: 'clerk-gz', roles: ['branch-clerk'], branches: ['gz-yuexiu'] });
    const calls: [string, string, unknown][] = [
      ['POST', 'suspend', { reason: '测试' }],
      ['POST', 'enable', { reason: '测试' }],
      ['POST', 'retire', { reason: '测试' }],
      ['PUT', 'hosting', { hostedOn: null }],
    ];
    for (const [method, action, body] of calls) {
      for (const clerk of [ownClerk, otherClerk]) {
        expect(await admin(method, `${device.deviceId}/${action}`, body, clerk)).toMatchObject({
          status: 403,
          body: { error: { code: 'FORBIDDEN' } },
        });
      }
    }
    expect(await admin('GET', `${device.deviceId}/changes`, undefined, otherClerk)).toMatchObject({
      status: 404,
      body: { error: { code: 'DEVICE_NOT_FOUND' } },
    });
    expect((await admin('GET', `${device.deviceId}/changes`, undefined, ownClerk)).body.items).toHaveLength(
      1,
    );
    expect(await admin('GET', device.deviceId, undefined, otherClerk)).toMatchObject({ status: 404 });
    expect(await changeRows(device.deviceId)).toHaveLength(1);
    expect((await admin('GET', device.deviceId)).body.status).toBe('active');
  });
});

/** Devices registered before device.changed existed, and the rows the old `disabled` status left behind. */
describe('snapshot announcer and the migration of disabled devices (real PostgreSQL)', () => {
  let gw: GatewayHarness;
  let replica: GatewayHarness | undefined;

  beforeAll(async () => {
    // No relay: the outbox keeps every message written, so each one can be counted.
    gw = await GatewayHarness.start({ env: { GATEWAY_OUTBOX_RELAY: 'false' } });
  });

  afterAll(async () => {
    await replica?.close();
    await gw?.close();
  });

  const announce = (h: GatewayHarness) => h.app.get(AnnounceDevicesUseCase).execute();
  const OLD_DEVICES = 450;

  it('announces each device never published exactly once, with two replicas announcing at the same time', async () => {
    const template = await gw.registerDevice(SELLER, 'sz-luohu');
    // Devices as the old gateway left them (announced_at null), every tenth one disabled, now retired.
    await gw.dataSource.query(
      `INSERT INTO devices (device_id, tax_no, branch_id, name, status, status_reason, status_changed_at, disabled_at,
                            secret_key_id, secret_iv, secret_ciphertext, secret_tag, created_at, updated_at)
       SELECT 'dev_old_' || lpad(i::text, 4, '0'), tax_no, branch_id, name || ' ' || i,
              CASE WHEN i % 10 = 0 THEN 'retired' ELSE 'active' END,
              CASE WHEN i % 10 = 0 THEN 'disabled' END,
              CASE WHEN i % 10 = 0 THEN created_at END,
              CASE WHEN i % 10 = 0 THEN created_at END,
              secret_key_id, secret_iv, secret_ciphertext, secret_tag,
              created_at - interval '400 days', created_at - interval '400 days'
         FROM devices, generate_series(1, $2::int) AS i WHERE device_id = $1`,
      [template.deviceId, OLD_DEVICES],
    );
    replica = await GatewayHarness.replicaOf(gw); // its start-up announcer runs from now on
    const announced = await Promise.all([announce(gw), announce(replica), announce(gw)]);
    await pollUntil(
      () => gw.count('devices WHERE announced_at IS NULL'),
      (n) => n === 0,
      { what: 'every device announced' },
    );
    expect(announced.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(OLD_DEVICES);

    const rows = (await gw.dataSource.query(
      `SELECT message_key, payload FROM outbox WHERE event_type = 'device.changed' ORDER BY id`,
    )) as { message_key: string; payload: string }[];
    const snapshots = rows.filter((r) => r.message_key.startsWith('dev_old_'));
    expect(snapshots).toHaveLength(OLD_DEVICES);
    expect(new Set(snapshots.map((r) => r.message_key)).size).toBe(OLD_DEVICES);
    const data = snapshots.map((r) => {
      const parsed = parseEnvelope(TOPICS.deviceEvents, r.payload);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
      return parsed.envelope.data as DeviceChangedEventData;
    });
    expect(data.every((d) => d.change === 'snapshot' && d.actor === null)).toBe(true);
    expect(data.find((d) => d.deviceId === 'dev_old_0010')).toMatchObject({
      status: 'retired',
      reason: 'disabled',
      taxNo: SELLER,
      branchId: 'sz-luohu',
      deviceName: 'device sz-luohu 10',
    });
    expect(data.find((d) => d.deviceId === 'dev_old_0011')).toMatchObject({ status: 'active', reason: null });
    // A device registered by this code was announced by its own registration.
    expect(rows.filter((r) => r.message_key === template.deviceId)).toHaveLength(1);
    expect(JSON.parse(rows.find((r) => r.message_key === template.deviceId)!.payload).data.change).toBe(
      'registered',
    );
    expect(await announce(gw)).toBe(0);
  });

  it('migrates disabled devices to retired, keeping when they were disabled, and back down', async () => {
    const schema = uniqueName('gw_lifecycle');
    const before = GATEWAY_MIGRATIONS.slice(0, -1);
    const old = createServiceDataSource({ url: testDatabaseUrl(), schema, poolSize: 2, migrations: before });
    const dataSource = createServiceDataSource({
      url: testDatabaseUrl(),
      schema,
      poolSize: 2,
      migrations: GATEWAY_MIGRATIONS,
    });
    try {
      await old.initialize();
      await prepareSchema(old, schema);
      const insert = `INSERT INTO devices (device_id, tax_no, branch_id, name, status, disabled_at, secret_key_id,
                        secret_iv, secret_ciphertext, secret_tag, created_at, updated_at)
                      VALUES ($1, $2, 'b', 'n', $3, $4, 'k1', '\\x00', '\\x00', '\\x00', $5, $6)`;
      await old.query(insert, [
        'dev_off',
        SELLER,
        'disabled',
        '2025-05-01T02:00:00Z',
        '2024-01-01T00:00:00Z',
        '2025-05-01T02:00:00Z',
      ]);
      await old.query(insert, [
        'dev_on',
        SELLER,
        'active',
        null,
        '2024-01-01T00:00:00Z',
        '2024-01-01T00:00:00Z',
      ]);
      await old.destroy();

      await dataSource.initialize();
      expect(await prepareSchema(dataSource, schema)).toEqual(['DeviceLifecycle1763900000300']);
      const read = async () =>
        (await dataSource.query(
          `SELECT device_id, status, status_reason, status_changed_at, disabled_at, announced_at FROM devices ORDER BY device_id`,
        )) as Record<string, unknown>[];
      expect(await read()).toEqual([
        {
          device_id: 'dev_off',
          status: 'retired',
          status_reason: 'disabled',
          status_changed_at: new Date('2025-05-01T02:00:00Z'),
          disabled_at: new Date('2025-05-01T02:00:00Z'),
          announced_at: null,
        },
        {
          device_id: 'dev_on',
          status: 'active',
          status_reason: null,
          status_changed_at: null,
          disabled_at: null,
          announced_at: null,
        },
      ]);
      await expect(dataSource.query(`UPDATE devices SET status = 'disabled'`)).rejects.toThrow(
        /devices_status_check/,
      );
      await dataSource.query(`UPDATE devices SET status = 'suspended' WHERE device_id = 'dev_on'`);

      await dataSource.undoLastMigration({ transaction: 'each' });
      expect(
        await dataSource.query(
          `SELECT device_id, status, disabled_at IS NOT NULL AS refused FROM devices ORDER BY device_id`,
        ),
      ).toEqual([
        { device_id: 'dev_off', status: 'disabled', refused: true },
        { device_id: 'dev_on', status: 'disabled', refused: true },
      ]);
      expect(await dataSource.query(`SELECT to_regclass('device_changes') AS t`)).toEqual([{ t: null }]);
    } finally {
      if (old.isInitialized) await old.destroy();
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropSchema(schema);
    }
  });
});
