import { randomBytes } from 'node:crypto';
import { ManualClock } from '@lib/common';
import { loadGatewayConfig } from '../gateway.config';
import { SecretCipher } from '../secrets/secret-cipher';
import { DeviceDirectory } from './device-directory';
import { DeviceRecord } from './device.model';
import { DevicesRepository } from './devices.repository';

const cipher = new SecretCipher({ keys: new Map([['k1', randomBytes(32)]]), activeKeyId: 'k1' });

function record(deviceId: string, status: DeviceRecord['status'] = 'active'): DeviceRecord {
  const now = new Date();
  return {
    deviceId,
    taxNo: '91440300MA5F8Q2K7X',
    branchId: 'b',
    name: 'n',
    deviceNo: null,
    status,
    statusReason: null,
    statusChangedAt: null,
    hostedOn: null,
    replacedBy: null,
    activatedOn: null,
    sealed: cipher.seal(deviceId, Buffer.from('secret-of-' + deviceId)),
    secretRotatedAt: null,
    createdAt: now,
    updatedAt: now,
    disabledAt: null,
    updatedBy: null,
    announcedAt: now,
  };
}

describe('DeviceDirectory', () => {
  let rows: Map<string, DeviceRecord>;
  let lookups: number;
  let failNext: boolean;
  const clock = new ManualClock('2026-01-01T00:00:00Z');
  /** When set, lookups read the row at once but answer only when the test opens the gate. */
  let gate: Promise<void> | undefined;
  const repository = {
    findById: async (id: string) => {
      lookups++;
      const row = rows.get(id);
      // answers on a later turn, so concurrent finds can share one lookup (a microtask for the flood of unknown ids)
      await (id.startsWith('dev_random_') ? Promise.resolve() : new Promise((r) => setImmediate(r)));
      if (gate) {
        await gate;
        return row;
      }
      if (failNext) {
        failNext = false;
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      }
      return rows.get(id);
    },
  } as unknown as DevicesRepository;
  const directory = () =>
    new DeviceDirectory(
      repository,
      cipher,
      clock,
      loadGatewayConfig({ GATEWAY_DEVICE_CACHE_TTL_MS: '30000' }),
    );

  beforeEach(() => {
    rows = new Map([['dev_a', record('dev_a')]]);
    lookups = 0;
    failNext = false;
    gate = undefined;
  });

  it('decrypts once and serves from memory until the TTL passes', async () => {
    const dir = directory();
    const first = await dir.find('dev_a');
    expect(first?.secret.toString()).toBe('secret-of-dev_a');
    rows.set('dev_a', record('dev_a', 'suspended'));
    clock.advance(29_999);
    expect((await dir.find('dev_a'))?.status).toBe('active');
    expect(lookups).toBe(1);
    clock.advance(1);
    expect((await dir.find('dev_a'))?.status).toBe('suspended');
    expect(lookups).toBe(2);
  });

  it('forgets a device at once when told (suspend, retire, rotate on this replica)', async () => {
    const dir = directory();
    await dir.find('dev_a');
    rows.set('dev_a', record('dev_a', 'suspended'));
    dir.invalidate('dev_a');
    expect((await dir.find('dev_a'))?.status).toBe('suspended');
  });

  it('shares one lookup between concurrent requests, caches unknown ids, never caches a failure', async () => {
    const dir = directory();
    await Promise.all([dir.find('dev_a'), dir.find('dev_a'), dir.find('dev_a')]);
    expect(lookups).toBe(1);
    expect(await dir.find('dev_nobody')).toBeNull();
    expect(await dir.find('dev_nobody')).toBeNull();
    expect(lookups).toBe(2);
    failNext = true;
    await expect(dir.find('dev_b')).rejects.toThrow('ECONNREFUSED');
    rows.set('dev_b', record('dev_b'));
    expect((await dir.find('dev_b'))?.deviceId).toBe('dev_b');
  });

  it('keeps unknown ids apart: a flood of them neither evicts a known device nor costs a lookup per request', async () => {
    const dir = directory();
    await dir.find('dev_a');
    const unknown = Array.from({ length: 100_001 }, (_, i) => `dev_random_${i}`);
    for (const id of unknown) await dir.find(id);
    expect(lookups).toBe(1 + unknown.length);
    expect((await dir.find('dev_a'))?.deviceId).toBe('dev_a');
    expect(lookups).toBe(1 + unknown.length);
    const repeated = unknown.slice(-1_000);
    for (let round = 0; round < 3; round++) for (const id of repeated) expect(await dir.find(id)).toBeNull();
    expect(lookups).toBe(1 + unknown.length);
  }, 30_000);

  it('forgets unknown ids sooner than devices, so a device registered through another replica is found', async () => {
    const dir = directory();
    expect(await dir.find('dev_new')).toBeNull();
    rows.set('dev_new', record('dev_new'));
    clock.advance(5_000);
    expect((await dir.find('dev_new'))?.deviceId).toBe('dev_new');
  });

  it('does not let a lookup in flight overwrite an invalidation', async () => {
    const dir = directory();
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    const inFlight = dir.find('dev_a'); // reads the row while the device is still active
    await new Promise((r) => setImmediate(r));
    rows.set('dev_a', record('dev_a', 'suspended'));
    dir.invalidate('dev_a');
    const afterInvalidation = dir.find('dev_a');
    open();
    gate = undefined;
    expect((await inFlight)?.status).toBe('active'); // the request that asked first may see the old row
    expect((await afterInvalidation)?.status).toBe('suspended');
    expect((await dir.find('dev_a'))?.status).toBe('suspended');
  });
});
