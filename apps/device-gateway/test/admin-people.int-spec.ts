import { GatewayAdminClient } from '@lib/device-client';
import { startTestIssuer, TestIssuer } from '@lib/testing';
import { ADMIN_TOKEN, GatewayHarness, SELLER } from './support/gateway-harness';

jest.setTimeout(90_000);

/** The admin API as people reach it from the console: their IdP token, their role, their branches. */
describe('device admin API for people (real PostgreSQL, a test IdP)', () => {
  let issuer: TestIssuer;
  let gw: GatewayHarness;
  const as = async (person: { sub: string; name?: string; roles: string[]; branches?: string[] }) =>
    new GatewayAdminClient(gw.url, await issuer.token(person));
  const audit = async (token: string, query: string) => {
    const response = await fetch(`${gw.url}/v1/audit?${query}`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as { items: Record<string, unknown>[] } };
  };

  beforeAll(async () => {
    issuer = await startTestIssuer();
    gw = await GatewayHarness.start({ env: issuer.env });
  });

  afterAll(async () => {
    await gw?.close();
    await issuer?.close();
  });

  it("shows a clerk only their branches' devices, and another branch's device as unknown", async () => {
    const mine = await gw.registerDevice(SELLER, 'sz-nanshan');
    const theirs = await gw.registerDevice(SELLER, 'bj-chaoyang');
    const clerk = await as({ sub: 'clerk-1', name: '王芳', roles: ['branch-clerk'], branches: ['sz-nanshan'] });
    const listed = await clerk.listDevices({ taxNo: SELLER });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((d) => d.deviceId)).toEqual([mine.deviceId]);
    expect(await clerk.listDevices({ taxNo: SELLER, branchId: 'bj-chaoyang' })).toMatchObject({
      status: 200,
      body: { items: [], nextCursor: null },
    });
    expect((await clerk.getDevice(mine.deviceId)).status).toBe(200);
    const hidden = await clerk.getDevice(theirs.deviceId);
    const unknown = await clerk.getDevice('dev_does_not_exist');
    expect(hidden.status).toBe(404);
    // Same code, same shape; the message names the id asked for, whichever it was.
    const bodyOf = (r: { body: unknown }) => r.body as { error: { code: string; message: string } };
    expect(bodyOf(hidden).error.code).toBe('DEVICE_NOT_FOUND');
    expect(bodyOf(hidden)).toEqual({
      ...bodyOf(unknown),
      error: { ...bodyOf(unknown).error, message: `no device ${theirs.deviceId}` },
    });
    expect((await clerk.disableDevice(mine.deviceId)).status).toBe(403);
    const auditor = await as({ sub: 'auditor-1', roles: ['auditor'] });
    expect((await auditor.listDevices({ taxNo: SELLER })).body.items).toHaveLength(2);
  });

  it('refuses changes to an auditor (403 FORBIDDEN) and leaves the device untouched', async () => {
    const device = await gw.registerDevice();
    const auditor = await as({ sub: 'auditor-2', roles: ['auditor'] });
    for (const response of [
      await auditor.disableDevice(device.deviceId),
      await auditor.rotateSecret(device.deviceId),
      await auditor.setDeviceNo(device.deviceId, '661234567890'),
      await auditor.registerDevice({ taxNo: SELLER, branchId: 'b', name: 'n' }),
      await auditor.reencryptSecrets(),
    ]) {
      expect(response).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    }
    expect((await gw.admin.getDevice(device.deviceId)).body).toMatchObject({ status: 'active', deviceNo: null });
  });

  it("records an admin's change with the person, on the device and in the audit log, in one transaction", async () => {
    const device = await gw.registerDevice(SELLER, 'gz-tianhe');
    const person = { sub: 'admin-7', name: '李静', roles: ['admin'] };
    const admin = await as(person);
    const disabled = await admin.disableDevice(device.deviceId);
    expect(disabled).toMatchObject({
      status: 200,
      body: { status: 'retired', updatedBy: { kind: 'person', subject: 'admin-7', name: '李静' } },
    });
    // Disabling again changes nothing, so nothing more is recorded, neither on the device nor in the audit log.
    const service = new GatewayAdminClient(gw.url, ADMIN_TOKEN);
    expect((await service.disableDevice(device.deviceId)).body).toMatchObject({
      updatedBy: { kind: 'person', subject: 'admin-7' },
    });
    expect((await admin.setDeviceNo(device.deviceId, '661234567890')).status).toBe(200);
    const token = await issuer.token({ sub: 'auditor-3', roles: ['auditor'] });
    const entries = await audit(token, `targetType=device&targetId=${device.deviceId}`);
    expect(entries.status).toBe(200);
    expect(entries.body.items.map((e) => [e.action, (e.actor as { subject: string }).subject])).toEqual([
      ['device.set-device-no', 'admin-7'],
      ['device.retire', 'admin-7'],
      ['device.register', 'admin-token'],
    ]);
    expect(entries.body.items[1]).toMatchObject({
      service: 'device-gateway',
      actor: { kind: 'person', subject: 'admin-7', name: '李静' },
      target: { type: 'device', id: device.deviceId },
      taxNo: SELLER,
      branchId: 'gz-tianhe',
      reason: 'disabled',
    });
    // A change that fails (unknown device) leaves no audit entry.
    expect((await admin.disableDevice('dev_nothing_here')).status).toBe(404);
    expect((await audit(token, 'targetId=dev_nothing_here')).body.items).toEqual([]);
    // A clerk reads only the audit entries of their branches.
    const clerkToken = await issuer.token({ sub: 'c', roles: ['branch-clerk'], branches: ['sz-nanshan'] });
    expect((await audit(clerkToken, `targetId=${device.deviceId}`)).status).toBe(403);
  });

  it('answers 401 without a token, and still serves the admin-token service account', async () => {
    const none = await fetch(`${gw.url}/v1/admin/devices`);
    expect(none.status).toBe(401);
    const foreign = await new GatewayAdminClient(
      gw.url,
      await issuer.token({ sub: 'a', roles: ['admin'] }, { audience: 'urn:someone-else' }),
    ).listDevices();
    expect(foreign).toMatchObject({ status: 401, body: { error: { code: 'INVALID_TOKEN' } } });
    const service = new GatewayAdminClient(gw.url, ADMIN_TOKEN);
    const registered = await service.registerDevice({ taxNo: SELLER, branchId: 'sh-pudong', name: 'n' });
    expect(registered.status).toBe(201);
    expect((await service.getDevice(registered.body.deviceId)).body).toMatchObject({
      updatedBy: { kind: 'service', subject: 'admin-token', name: 'admin-token' },
    });
  });
});
