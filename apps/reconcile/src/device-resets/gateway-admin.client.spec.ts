import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ResilientHttpClient } from '@lib/resilience';
import { GatewayAdminClient, GatewayCallError } from './gateway-admin.client';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A gateway on a loopback port answering from a script, one handler per request in order (the last one repeats). */
async function gatewayAnswering(...handlers: Handler[]) {
  const seen: { method: string; url: string; authorization: string | undefined; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body,
      });
      (handlers[seen.length - 1] ?? handlers[handlers.length - 1])(req, body, res);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const http = new ResilientHttpClient({
    target: `gateway-spec-${Math.random()}`,
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    timeoutMs: 300,
  });
  const client = new GatewayAdminClient(http, { attempts: 2, backoffMs: 1 });
  const close = async () => {
    client.onModuleDestroy();
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  };
  return { client, seen, close };
}

const json =
  (status: number, body: unknown): Handler =>
  (_req, _body, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
const hang: Handler = () => undefined;

async function failureOf(promise: Promise<unknown>): Promise<GatewayCallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayCallError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

describe('the gateway admin client', () => {
  const token = 'eyJ.person-token.sig';

  it("forwards the caller's token and JSON body, and passes on the gateway's own refusal without trying again", async () => {
    const gw = await gatewayAnswering(
      json(403, { error: { code: 'FORBIDDEN', message: 'auditor may not devices manage', details: [] } }),
    );
    try {
      const failure = await failureOf(gw.client.suspend(token, 'dev/1', 'broken'));
      expect(failure).toMatchObject({ kind: 'refused', status: 403, code: 'FORBIDDEN', maybeDone: false });
      expect(failure.message).toBe('auditor may not devices manage');
      expect(JSON.stringify(failure)).not.toContain(token);
      expect(gw.seen).toEqual([
        {
          method: 'POST',
          url: '/v1/admin/devices/dev%2F1/suspend',
          authorization: `Bearer ${token}`,
          body: '{"reason":"broken"}',
        },
      ]);
    } finally {
      await gw.close();
    }
  });

  it('tries an idempotent call again after a server error, and succeeds', async () => {
    const gw = await gatewayAnswering(
      json(503, { error: { code: 'STORE_UNAVAILABLE', message: 'retry later' } }),
      json(200, { deviceId: 'd1', status: 'active' }),
    );
    try {
      await expect(gw.client.enable(token, 'd1', 'back')).resolves.toEqual({
        deviceId: 'd1',
        status: 'active',
      });
      expect(gw.seen).toHaveLength(2);
    } finally {
      await gw.close();
    }
  });

  it('never repeats a registration the gateway may have carried out (no answer, or a server error)', async () => {
    const gw = await gatewayAnswering(hang);
    try {
      const failure = await failureOf(
        gw.client.register(token, { taxNo: 'T', branchId: 'b', name: 'n (replacement)' }),
      );
      expect(failure).toMatchObject({ kind: 'unavailable', code: 'GATEWAY_TIMEOUT', maybeDone: true });
      expect(gw.seen).toHaveLength(1);
    } finally {
      await gw.close();
    }
    const erroring = await gatewayAnswering(
      json(500, { error: { code: 'INTERNAL', message: 'Internal error' } }),
    );
    try {
      expect(
        await failureOf(erroring.client.register(token, { taxNo: 'T', branchId: 'b', name: 'n' })),
      ).toMatchObject({
        kind: 'unavailable',
        status: 500,
        maybeDone: true,
      });
      expect(erroring.seen).toHaveLength(1);
    } finally {
      await erroring.close();
    }
  });

  it('gives up on an idempotent call after its attempts, each within the deadline', async () => {
    const gw = await gatewayAnswering(hang);
    try {
      const started = Date.now();
      expect(await failureOf(gw.client.rotateSecret(token, 'd1'))).toMatchObject({ code: 'GATEWAY_TIMEOUT' });
      expect(gw.seen).toHaveLength(2);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await gw.close();
    }
  });

  it('reads every page of a branch’s devices', async () => {
    const gw = await gatewayAnswering(
      json(200, { items: [{ deviceId: 'a' }], nextCursor: 'c1' }),
      json(200, { items: [{ deviceId: 'b' }], nextCursor: null }),
    );
    try {
      expect((await gw.client.listDevices(token, 'T', 'b 1')).map((d) => d.deviceId)).toEqual(['a', 'b']);
      expect(gw.seen.map((s) => s.url)).toEqual([
        '/v1/admin/devices?taxNo=T&branchId=b+1&limit=200',
        '/v1/admin/devices?taxNo=T&branchId=b+1&limit=200&cursor=c1',
      ]);
    } finally {
      await gw.close();
    }
  });
});
