import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ExternalCallError } from './call-outcome';
import { ResilientHttpClient } from './resilient-http.client';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('ResilientHttpClient', () => {
  let server: Server;
  let handler: Handler;
  let hits = 0;
  let baseURL: string;
  const clients: ResilientHttpClient[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      handler(req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    clients.forEach((c) => c.shutdown());
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => (hits = 0));

  function client(over: Partial<ConstructorParameters<typeof ResilientHttpClient>[0]> = {}) {
    const c = new ResilientHttpClient({
      target: `t${clients.length}`,
      baseURL,
      timeoutMs: 300,
      breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 200 },
      ...over,
    });
    clients.push(c);
    return c;
  }

  const failure = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return e as ExternalCallError;
    }
    throw new Error('expected a failure');
  };

  it('sends the body bytes untouched', async () => {
    let received = '';
    handler = (req, res) => {
      req.on('data', (c: Buffer) => (received += c.toString()));
      req.on('end', () => res.end('{"ok":true}'));
    };
    const body = '{"b":1,  "a":"中文"}';
    const res = await client().request<{ ok: boolean }>({
      method: 'POST',
      url: '/x',
      data: body,
      headers: { 'content-type': 'application/json' },
    });
    expect(received).toBe(body);
    expect(res.data).toEqual({ ok: true });
  });

  it('classifies a timeout as unknown, a 503 as unknown, a 429 as not sent, a 400 as rejected', async () => {
    const c = client({ breaker: { volumeThreshold: 100 } });
    handler = () => undefined; // never answers
    expect((await failure(c.request({ url: '/hang' }))).kind).toBe('unknown');
    handler = (_q, r) => ((r.statusCode = 503), r.end());
    expect((await failure(c.request({ url: '/503' }))).kind).toBe('unknown');
    handler = (_q, r) => (r.writeHead(429, { 'retry-after': '2' }), r.end());
    const limited = await failure(c.request({ url: '/429' }));
    expect([limited.kind, limited.code, limited.retryAfterMs]).toEqual(['not_sent', 'RATE_LIMITED', 2000]);
    handler = (_q, r) => ((r.statusCode = 400), r.end());
    expect((await failure(c.request({ url: '/400' }))).kind).toBe('rejected');
  });

  it('ends a call whose target drips bytes at the deadline, as a timeout the breaker counts', async () => {
    const c = client({ timeoutMs: 600, breaker: { volumeThreshold: 100 } });
    handler = (_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' });
      r.flushHeaders();
      const drip = setInterval(() => r.write(' '), 200); // never idle long enough for a socket timeout
      r.on('close', () => clearInterval(drip));
    };
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error('still running after 3 s')), 3_000)),
    );
    const e = await failure(Promise.race([c.request({ url: '/drip' }), guard])).finally(() =>
      clearTimeout(timer),
    );
    expect([e.kind, e.code, e.message]).toEqual(['unknown', 'TIMEOUT', expect.stringContaining('deadline')]);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(c.breaker.stats.failures).toBe(1);
  });

  it('classifies a refused connection as not sent', async () => {
    const c = new ResilientHttpClient({ target: 'closed', baseURL: 'http://127.0.0.1:1', timeoutMs: 300 });
    clients.push(c);
    const e = await failure(c.request({ url: '/' }));
    expect([e.kind, e.code]).toEqual(['not_sent', 'ECONNREFUSED']);
  });

  it('opens after failures, sends nothing while open, probes after the reset timeout and closes on success', async () => {
    const c = client();
    handler = (_q, r) => ((r.statusCode = 500), r.end());
    for (let i = 0; i < 3; i++) await failure(c.request({ url: '/' }));
    expect(c.isOpen).toBe(true);
    const before = hits;
    const open = await failure(c.request({ url: '/' }));
    expect([open.kind, open.code]).toEqual(['not_sent', 'BREAKER_OPEN']);
    expect(hits).toBe(before); // nothing reached the target
    handler = (_q, r) => r.end('{}');
    await new Promise((r) => setTimeout(r, 250));
    await c.request({ url: '/' }); // the half-open probe
    expect(c.isOpen).toBe(false);
    expect(c.breaker.closed).toBe(true);
  });

  it('is not tripped by rejections (4xx or a business refusal in the envelope)', async () => {
    const c = client();
    handler = (_q, r) => ((r.statusCode = 422), r.end());
    for (let i = 0; i < 5; i++) await failure(c.request({ url: '/' }));
    handler = (_q, r) => r.end('{"success":false}');
    const refuse = () => {
      throw new ExternalCallError('t', 'rejected', 'BIZ', 'refused');
    };
    for (let i = 0; i < 5; i++) expect((await failure(c.request({ url: '/' }, refuse))).code).toBe('BIZ');
    expect(c.isOpen).toBe(false);
  });

  it('counts an envelope that reports the platform unwell against the breaker', async () => {
    const c = client();
    handler = (_q, r) => r.end('{"success":false,"code":"SYSTEM_BUSY"}');
    const busy = () => {
      throw new ExternalCallError('t', 'unknown', 'SYSTEM_BUSY', 'busy');
    };
    for (let i = 0; i < 3; i++) await failure(c.request({ url: '/' }, busy));
    expect(c.isOpen).toBe(true);
  });
});
