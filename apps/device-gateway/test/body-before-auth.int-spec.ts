import { randomBytes } from 'node:crypto';
import { RegisteredDevice, SampleInvoices } from '@lib/device-client';
import { scrapeMetric } from '@lib/testing';
import { DevicesRepository } from '../src/devices/devices.repository';
import { GatewayHarness, SELLER } from './support/gateway-harness';
import { rawPost, signed } from './support/http';
import { clearCardBody } from './support/invoice-fixtures';

jest.setTimeout(90_000);

const PATH = '/v1/invoices';
/** Not JSON at all: a parser would answer 400 MALFORMED_JSON. */
const BROKEN = '{"invoices": [ this is not json';
/** Beyond any body limit of the gateway: a parser would answer 413. */
const HUGE = Buffer.alloc(9 * 1024 * 1024, 0x20);

const unknownDevice = () => ({ deviceId: `dev_${randomBytes(12).toString('base64url')}`, secret: 'guess' });

/**
 * Devices are identified from their headers before the body is read: a caller who names no known device never gets
 * a body parsed (or buffered), and each route has a body limit of its own size.
 */
describe('device identity before the body (real PostgreSQL)', () => {
  let gw: GatewayHarness;
  let device: RegisteredDevice;
  const post = (path: string, body: string | Buffer, headers: Record<string, string>) =>
    rawPost(gw.url, path, body, headers);
  const authFailures = (code: string) => scrapeMetric(gw.url, 'gateway_auth_failures_total', { code });

  beforeAll(async () => {
    gw = await GatewayHarness.start();
    device = await gw.registerDevice();
  });
  afterAll(() => gw?.close());

  it('refuses an unknown device with 401 before parsing: invalid JSON is not 400, an oversized body is not 413', async () => {
    const before = await authFailures('UNKNOWN_DEVICE');
    const broken = await post(PATH, BROKEN, signed(unknownDevice(), PATH, BROKEN));
    expect(broken).toMatchObject({ status: 401, body: { error: { code: 'UNKNOWN_DEVICE' } } });
    const huge = await post(PATH, HUGE, signed(unknownDevice(), PATH, HUGE));
    expect(huge).toMatchObject({ status: 401, body: { error: { code: 'UNKNOWN_DEVICE' } } });
    expect(await authFailures('UNKNOWN_DEVICE')).toBe(before + 2);
  });

  it('refuses missing or malformed auth headers before parsing too', async () => {
    const none = await post(PATH, BROKEN, { 'Content-Type': 'application/json' });
    expect(none).toMatchObject({ status: 401, body: { error: { code: 'MISSING_AUTH_HEADERS' } } });
    const stale = signed(device, PATH, BROKEN, { timestamp: Date.now() - 3_600_000 });
    expect(await post(PATH, BROKEN, stale)).toMatchObject({
      status: 401,
      body: { error: { code: 'CLOCK_SKEW' } },
    });
  });

  it('parses a known device’s body: invalid JSON is 400, beyond the route’s limit 413 with the error body', async () => {
    const broken = await post(PATH, BROKEN, signed(device, PATH, BROKEN));
    expect(broken).toMatchObject({ status: 400, body: { error: { code: 'MALFORMED_JSON', details: [] } } });
    const huge = await post(PATH, HUGE, signed(device, PATH, HUGE));
    expect(huge).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', details: [] } } });
  });

  it('takes a 1,000-item batch of 8-line invoices (about 1.7 MB) in one request', async () => {
    const items = new SampleInvoices({ sellerTaxNo: SELLER, series: 7, lines: 8 }).batch(1000);
    expect(Buffer.byteLength(JSON.stringify({ invoices: items }))).toBeGreaterThan(1.5 * 1024 * 1024);
    const response = await gw.client(device).postInvoices(items);
    expect(response.status).toBe(200);
    expect(response.body.results.filter((r) => r.status === 'accepted')).toHaveLength(1000);
  });

  it('gives device events a small limit: a 100 kB clear-card body is 413', async () => {
    const path = `/v1/devices/${device.deviceId}/clear-card`;
    const body = JSON.stringify({ ...clearCardBody(), padding: 'x'.repeat(100 * 1024) });
    const response = await post(path, body, signed(device, path, body));
    expect(response).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
  });

  it('looks an unknown id up once however often it comes, and keeps serving known devices from memory', async () => {
    const path = `/v1/devices/${device.deviceId}/clear-card`;
    const known = () => {
      const event = JSON.stringify(clearCardBody());
      return post(path, event, signed(device, path, event));
    };
    expect((await known()).status).toBe(202); // the device is in this replica's memory now
    const lookups = jest.spyOn(gw.app.get(DevicesRepository), 'findById');
    try {
      const body = JSON.stringify({ invoices: [] });
      const ids = Array.from({ length: 10 }, unknownDevice);
      for (let round = 0; round < 3; round++) {
        for (const id of ids) expect((await post(PATH, body, signed(id, PATH, body))).status).toBe(401);
      }
      expect(lookups).toHaveBeenCalledTimes(10);
      expect((await known()).status).toBe(202);
      expect(lookups).toHaveBeenCalledTimes(10);
    } finally {
      lookups.mockRestore();
    }
  });
});
