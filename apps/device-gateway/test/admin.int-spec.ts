import { registeredDeviceSchema } from '@lib/contracts';
import { GatewayAdminClient } from '@lib/device-client';
import { withUsccCheckDigit } from '@lib/domain';
import { ADMIN_TOKEN, GatewayHarness, masterKey, SELLER } from './support/gateway-harness';
import { clearCardBody } from './support/invoice-fixtures';

jest.setTimeout(90_000);

describe('admin API (real PostgreSQL)', () => {
  const k1 = masterKey();
  let gw: GatewayHarness;
  const call = (method: string, path: string, headers: Record<string, string> = {}) =>
    fetch(`${gw.url}${path}`, { method, headers }).then(async (r) => ({
      status: r.status,
      headers: r.headers,
      body: await r.json(),
    }));

  beforeAll(async () => {
    gw = await GatewayHarness.start({ env: { GATEWAY_MASTER_KEYS: `k1:${k1}` } });
  });

  afterAll(() => gw?.close());

  it('requires a bearer token the platform AuthGuard knows (GATEWAY_ADMIN_TOKEN is the admin-token account)', async () => {
    const none = await call('GET', '/v1/admin/devices');
    expect(none).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    const wrong = await call('GET', '/v1/admin/devices', { Authorization: `Bearer ${ADMIN_TOKEN}x` });
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'INVALID_TOKEN' } } });
    expect((await call('GET', '/v1/admin/devices', { Authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(
      200,
    );
  });

  it('registers a device: 201 with a 32-byte base64url secret shown once and stored only encrypted', async () => {
    const response = await gw.admin.registerDevice({ taxNo: SELLER, branchId: 'sz-qianhai', name: '前台 1' });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const device = response.body;
    expect(device).toEqual({
      deviceId: expect.stringMatching(/^dev_[A-Za-z0-9_-]{16}$/),
      secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      taxNo: SELLER,
      branchId: 'sz-qianhai',
      name: '前台 1',
      deviceNo: null,
      activatedOn: null,
      createdAt: expect.any(String),
    });
    expect(registeredDeviceSchema.safeParse(device).error).toBeUndefined(); // the contract the SDK reads it by
    expect(Buffer.from(device.secret, 'base64url')).toHaveLength(32);
    const [row] = (await gw.dataSource.query('SELECT * FROM devices WHERE device_id = $1', [
      device.deviceId,
    ])) as Record<string, unknown>[];
    expect(row.secret_key_id).toBe('k1');
    expect(JSON.stringify(row)).not.toContain(device.secret);
    expect((row.secret_ciphertext as Buffer).includes(Buffer.from(device.secret))).toBe(false);
    const shown = await gw.admin.getDevice(device.deviceId);
    expect(shown.body).toMatchObject({
      deviceId: device.deviceId,
      status: 'active',
      statusReason: null,
      statusChangedAt: null,
      hostedOn: null,
      activatedOn: null,
      disabledAt: null,
      updatedBy: { kind: 'service', subject: 'admin-token', name: 'admin-token' },
    });
    expect(JSON.stringify(shown.body)).not.toContain(device.secret);
  });

  it('accepts a USCC with a wrong check digit or a legacy id with a warning, and refuses anything else', async () => {
    const wrongDigit = `${SELLER.slice(0, 17)}${SELLER[17] === '0' ? '1' : '0'}`;
    const checkDigit = await gw.admin.registerDevice({ taxNo: wrongDigit, branchId: 'b', name: 'n' });
    expect(checkDigit).toMatchObject({
      status: 201,
      body: { warnings: [{ code: 'TAX_NO_CHECK_DIGIT', field: 'taxNo' }] },
    });
    expect(registeredDeviceSchema.safeParse(checkDigit.body).error).toBeUndefined();
    for (const legacy of ['440300123456789', '44030012345678901', '44030012345678901234']) {
      const response = await gw.admin.registerDevice({ taxNo: legacy, branchId: 'b', name: 'n' });
      expect(response).toMatchObject({ status: 201, body: { warnings: [{ code: 'TAX_NO_LEGACY' }] } });
    }
    const bad = await gw.admin.registerDevice({ taxNo: 'NOT-A-TAX-ID', branchId: '', name: 'n' });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    const details = (bad.body as unknown as { error: { details: { code: string; field: string }[] } }).error
      .details;
    expect(details.map((d) => [d.field, d.code])).toEqual(
      expect.arrayContaining([
        ['taxNo', 'INVALID_TAX_NO'],
        ['branchId', 'TOO_SHORT'],
      ]),
    );
  });

  it('lists devices by taxpayer and branch, one keyset page at a time', async () => {
    const taxNo = withUsccCheckDigit(`9144030${Date.now().toString().slice(-10)}`);
    const ids: string[] = [];
    for (const branch of ['a', 'a', 'b', 'a', 'b'])
      ids.push((await gw.admin.mustRegister({ taxNo, branchId: branch, name: 'x' })).deviceId);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await gw.admin.listDevices({ taxNo, limit: 2, cursor });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((d) => d.deviceId));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(ids);
    const branchA = await gw.admin.listDevices({ taxNo, branchId: 'a' });
    expect(branchA.body).toEqual({ items: expect.any(Array), nextCursor: null });
    expect(branchA.body.items.map((d) => d.deviceId)).toEqual([ids[0], ids[1], ids[3]]);
    expect(await gw.admin.listDevices({ cursor: 'garbage' })).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_CURSOR' } },
    });
    expect(await gw.admin.listDevices({ limit: 0 })).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED' } },
    });
  });

  it('disables (the old name of retire) a device idempotently, and answers 404 DEVICE_NOT_FOUND for unknown ids', async () => {
    const device = await gw.registerDevice();
    const first = await gw.admin.disableDevice(device.deviceId);
    expect(first.body).toMatchObject({
      status: 'retired',
      statusReason: 'disabled',
      statusChangedAt: first.body.disabledAt,
      disabledAt: expect.any(String),
    });
    const second = await gw.admin.disableDevice(device.deviceId);
    expect(second.body).toEqual(first.body);
    expect(await gw.client(device).postClearCard(clearCardBody())).toMatchObject({
      status: 401,
      body: { error: { code: 'DEVICE_RETIRED' } },
    });
    for (const response of [
      await gw.admin.disableDevice('dev_none'),
      await gw.admin.getDevice('dev_none'),
      await gw.admin.rotateSecret('dev_none'),
    ]) {
      expect(response).toMatchObject({ status: 404, body: { error: { code: 'DEVICE_NOT_FOUND' } } });
    }
  });

  it('rotates a secret: the new one is shown once and works, the old one stops working', async () => {
    const device = await gw.registerDevice();
    const rotated = await gw.admin.rotateSecret(device.deviceId);
    expect(rotated).toMatchObject({
      status: 200,
      body: { deviceId: device.deviceId, secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) },
    });
    expect(rotated.body.secret).not.toBe(device.secret);
    const old = await gw.client(device).postClearCard(clearCardBody());
    expect(old).toMatchObject({ status: 401, body: { error: { code: 'BAD_SIGNATURE' } } });
    expect(
      (await gw.client({ ...device, secret: rotated.body.secret }).postClearCard(clearCardBody())).status,
    ).toBe(202);
  });

  it('rotates the master key: old rows stay readable, re-encryption moves them, then the old key can go', async () => {
    const device = await gw.registerDevice();
    const k2 = masterKey();
    const both = await GatewayHarness.replicaOf(gw, {
      env: { GATEWAY_MASTER_KEYS: `k1:${k1},k2:${k2}`, GATEWAY_ACTIVE_KEY_ID: 'k2' },
    });
    try {
      expect((await both.client(device).postClearCard(clearCardBody())).status).toBe(202);
      const report = await both.admin.reencryptSecrets();
      expect(report.body).toMatchObject({ activeKeyId: 'k2', failed: [], remaining: 0 });
      expect(report.body.reencrypted).toBeGreaterThan(5);
      const again = await both.admin.reencryptSecrets();
      expect(again.body).toMatchObject({ reencrypted: 0, remaining: 0 });
    } finally {
      await both.close();
    }
    const onlyNew = await GatewayHarness.replicaOf(gw, {
      env: { GATEWAY_MASTER_KEYS: `k2:${k2}`, GATEWAY_ACTIVE_KEY_ID: '' },
    });
    try {
      expect((await onlyNew.client(device).postClearCard(clearCardBody())).status).toBe(202);
    } finally {
      await onlyNew.close();
    }
  });

  it('documents the API at /docs with the contract schemas', async () => {
    const doc = (await (await fetch(`${gw.url}/docs/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { properties?: object } }> } }>
      >;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/invoices',
        '/v1/devices/{deviceId}/clear-card',
        '/v1/devices/{deviceId}/reports',
        '/v1/devices/{deviceId}/monitor',
        '/v1/admin/devices',
        '/v1/admin/devices/{deviceId}',
        '/v1/admin/devices/{deviceId}/disable',
        '/v1/admin/devices/{deviceId}/rotate-secret',
        '/v1/admin/devices/{deviceId}/device-no',
        '/v1/admin/devices/{deviceId}/suspend',
        '/v1/admin/devices/{deviceId}/enable',
        '/v1/admin/devices/{deviceId}/retire',
        '/v1/admin/devices/{deviceId}/hosting',
        '/v1/admin/devices/{deviceId}/changes',
      ]),
    );
    const bodyOf = (path: string, method: string) =>
      doc.paths[path][method].requestBody?.content['application/json'].schema;
    expect(JSON.stringify(bodyOf('/v1/invoices', 'post'))).toContain('sellerTaxNo');
    for (const action of ['suspend', 'enable', 'retire'])
      expect(bodyOf(`/v1/admin/devices/{deviceId}/${action}`, 'post')).toMatchObject({
        required: ['reason'],
        properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } },
      });
    expect(JSON.stringify(bodyOf('/v1/admin/devices/{deviceId}/retire', 'post'))).toContain('replacedBy');
    expect(JSON.stringify(bodyOf('/v1/admin/devices/{deviceId}/hosting', 'put'))).toContain('hostedOn');
    expect(JSON.stringify(bodyOf('/v1/admin/devices', 'post'))).toContain('activatedOn');
    expect(JSON.stringify(doc.paths['/v1/admin/devices/{deviceId}'])).toContain('statusChangedAt');
  });
});

describe('admin API without configuration', () => {
  it('answers 401 when neither GATEWAY_ADMIN_TOKEN nor an IdP is configured', async () => {
    const gw = await GatewayHarness.start({ env: { GATEWAY_ADMIN_TOKEN: '', GATEWAY_MASTER_KEYS: '' } });
    try {
      const response = await gw.admin.registerDevice({ taxNo: SELLER, branchId: 'b', name: 'n' });
      expect(response).toMatchObject({ status: 401, body: { error: { code: 'INVALID_TOKEN' } } });
      const person = await new GatewayAdminClient(gw.url, 'header.payload.signature').listDevices({});
      expect(person).toMatchObject({ status: 401, body: { error: { code: 'PERSON_AUTH_DISABLED' } } });
    } finally {
      await gw.close();
    }
  });
});
