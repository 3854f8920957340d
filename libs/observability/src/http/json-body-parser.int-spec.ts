import type { AddressInfo } from 'node:net';
import express, { ErrorRequestHandler } from 'express';
import { jsonBodyParser } from './json-body-parser';

/** The parser chosen by path, on a real loopback server (body-parser needs a real request stream). */
describe('jsonBodyParser', () => {
  let base: string;
  let close: () => void;

  beforeAll(async () => {
    const app = express();
    app.use(jsonBodyParser({ limit: '1kb', routes: [{ path: '/big', limit: '64kb' }], rawBody: true }));
    app.post('/{*path}', (req, res) => {
      const raw = (req as { rawBody?: Buffer }).rawBody;
      res.json({ keys: Object.keys(req.body as object), rawBytes: raw?.length ?? null });
    });
    const errors: ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, _next) => {
      res.status(error.status ?? 500).json({ type: error.type });
    };
    app.use(errors);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  const post = async (path: string, bytes: number) => {
    const body = JSON.stringify({ pad: 'x'.repeat(bytes) });
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
      size: body.length,
    };
  };

  it('applies a route’s own limit under its path, and the default elsewhere', async () => {
    const big = await post('/big', 10_000);
    expect(big).toMatchObject({ status: 200, body: { keys: ['pad'], rawBytes: big.size } });
    expect(await post('/big/below', 10_000)).toMatchObject({ status: 200 });
    expect(await post('/BIG', 10_000)).toMatchObject({ status: 200 });
    expect(await post('/big', 100_000)).toMatchObject({ status: 413, body: { type: 'entity.too.large' } });
    expect(await post('/bigger', 10_000)).toMatchObject({ status: 413 });
    expect(await post('/other', 10_000)).toMatchObject({ status: 413 });
    expect(await post('/other', 100)).toMatchObject({ status: 200, body: { keys: ['pad'] } });
  });
});
