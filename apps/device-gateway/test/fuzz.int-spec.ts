import fc from 'fast-check';
import { computeSignature, RegisteredDevice } from '@lib/device-client';
import { pollUntil, TopicCollector } from '@lib/testing';
import { GatewayHarness } from './support/gateway-harness';
import { FuzzRequest, fuzzRequest } from './support/request-arbitraries';

jest.setTimeout(180_000);

const RUNS = Number(process.env.GATEWAY_FUZZ_RUNS ?? 2_000);

/**
 * Random and mutated bodies and headers against the real gateway: never a 5xx, and every request either commits all
 * of what it answered accepted (plus its nonce) or nothing at all, checked by counting rows around each request.
 */
describe('property: any request (real PostgreSQL + Kafka)', () => {
  let gw: GatewayHarness;
  let collector: TopicCollector;
  let device: RegisteredDevice;
  let other: RegisteredDevice;
  let accepted = 0;

  beforeAll(async () => {
    gw = await GatewayHarness.start();
    collector = await gw.collect();
    device = await gw.registerDevice();
    other = await gw.registerDevice();
  });

  afterAll(async () => {
    await collector?.stop();
    await gw?.close();
  });

  const counts = async () => {
    const [row] = (await gw.dataSource.query(
      `SELECT (SELECT count(*) FROM ingested_events)::int AS events, (SELECT count(*) FROM invoice_contents)::int AS contents,
              (SELECT count(*) FROM device_nonces)::int AS nonces`,
    )) as { events: number; contents: number; nonces: number }[];
    return row;
  };

  async function send(request: FuzzRequest) {
    const path =
      request.target === 'invoices' ? '/v1/invoices' : `/v1/devices/${device.deviceId}/${request.target}`;
    const body = 'text' in request.body ? request.body.text : JSON.stringify(request.body.json);
    const fault = request.headerFault;
    const signer = fault.kind === 'other-device' ? other : device;
    const timestamp = String(Date.now() + (fault.kind === 'skew' ? fault.ms : 0));
    const nonce = `fz${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`.padEnd(16, '0');
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-Device-Id': signer.deviceId,
      'X-Timestamp': timestamp,
      'X-Nonce': nonce,
      'X-Signature': computeSignature(signer.secret, {
        method: 'POST',
        pathAndQuery: path,
        timestamp,
        nonce,
        body,
      }),
    };
    if (fault.kind === 'drop') delete headers[fault.header];
    if (fault.kind === 'set') headers[fault.header] = fault.value;
    const response = await fetch(`${gw.url}${path}`, { method: 'POST', headers, body });
    const text = await response.text();
    return { status: response.status, text };
  }

  it(`never answers 5xx and never commits part of a request (${RUNS} requests)`, async () => {
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (request) => {
        const before = await counts();
        const { status, text } = await send(request);
        const after = await counts();
        const delta = {
          events: after.events - before.events,
          contents: after.contents - before.contents,
          nonces: after.nonces - before.nonces,
        };
        expect({ status, text: status >= 500 ? text : '' }).toEqual({ status: expect.any(Number), text: '' });
        expect(status).toBeLessThan(500);
        const json = (() => {
          try {
            return JSON.parse(text) as Record<string, unknown>;
          } catch {
            return {};
          }
        })();
        if (status === 200 && request.target === 'invoices') {
          const results = json.results as { status: string }[];
          const ok = results.filter((r) => r.status === 'accepted').length;
          const duplicates = results.filter((r) => r.status === 'duplicate').length;
          accepted += ok;
          expect(delta.contents).toBe(ok);
          expect(delta.events).toBeGreaterThanOrEqual(ok);
          expect(delta.events).toBeLessThanOrEqual(ok + duplicates);
          expect(delta.nonces).toBe(1);
        } else if (status === 202) {
          accepted += 1;
          expect(delta).toEqual({ events: 1, contents: 0, nonces: 1 });
        } else {
          // Refused or a duplicate: no data; at most the nonce of a request that was authenticated and answered.
          expect({ events: delta.events, contents: delta.contents }).toEqual({ events: 0, contents: 0 });
          expect(delta.nonces).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: RUNS },
    );
    // Everything answered accepted reaches Kafka, once (besides the registry's device.changed of the two devices).
    const ingested = () => collector.messages.filter((m) => m.headers['event-type'] !== 'device.changed');
    await pollUntil(
      () => ingested().length,
      (n) => n >= accepted,
      { timeoutMs: 60_000, what: `${accepted} messages` },
    );
    await new Promise((r) => setTimeout(r, 1_000));
    const ids = ingested().map((m) => m.headers['event-id']);
    expect(ids.length).toBe(accepted);
    expect(new Set(ids).size).toBe(accepted);
  });
});
