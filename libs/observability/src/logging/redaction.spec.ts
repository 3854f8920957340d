import axios, { AxiosError } from 'axios';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { loggerOptions } from './logger';

/** What a failed provider call carries: an axios error with the request's headers and body in its config. */
describe('log redaction', () => {
  const BEARER = 'Bearer tok-4a1f-credential';
  const BODY_SECRET = 'body-4a1f-invoice-payload';
  const QUERY_SECRET = 'sig-4a1f-signature';
  let server: Server;
  let axiosError: AxiosError;

  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(500).end('{"code":"SYSTEM_BUSY"}'));
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload?sign=${QUERY_SECRET}`;
    axiosError = await axios
      .post(url, `{"payload":"${BODY_SECRET}"}`, {
        headers: { Authorization: BEARER, 'x-app-secret': 'app-4a1f' },
      })
      .then(() => {
        throw new Error('expected a 500');
      })
      .catch((error: AxiosError) => error);
  });
  afterAll(() => new Promise((done) => server.close(done)));

  function logged(write: (log: pino.Logger) => void): string {
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        out += chunk.toString();
        done();
      },
    });
    write(pino(loggerOptions('test', 'info'), sink));
    return out;
  }

  const expectClean = (out: string) => {
    for (const secret of [BEARER, 'tok-4a1f', BODY_SECRET, QUERY_SECRET, 'app-4a1f'])
      expect(out).not.toContain(secret);
  };

  it('keeps the headers and body of an axios error out of the log, at any depth', () => {
    const wrapped = Object.assign(new Error('upload failed', { cause: axiosError }), { failure: axiosError });
    const out = logged((log) => {
      log.error({ err: axiosError }, 'the raw axios error');
      log.error({ err: wrapped }, 'an error holding one');
      log.warn({ outcome: { attempts: [{ error: axiosError }] } }, 'one deep in an object');
      log.error(axiosError, 'logged as the only argument');
    });
    expectClean(out);
    expect(out.split('\n').filter(Boolean)).toHaveLength(4);
    expect(out).toContain('Request failed with status code 500'); // still says what happened
    expect(out).toContain('"status":500');
  });

  it('redacts credentials under any key at any depth', () => {
    const out = logged((log) =>
      log.info(
        {
          call: { request: { headers: { Authorization: BEARER, cookie: 'c' }, auth: { pass: 'app-4a1f' } } },
          n: 1,
        },
        'nested',
      ),
    );
    expectClean(out);
    expect(JSON.parse(out)).toMatchObject({
      n: 1,
      call: { request: { headers: { Authorization: '[redacted]', cookie: '[redacted]' } } },
    });
  });
});
