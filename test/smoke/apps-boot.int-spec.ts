import { resolve } from 'node:path';
import { pollUntil, dropSchema, testDatabaseUrl, testKafkaBrokers, uniqueName } from '@lib/testing';
import { spawnTs, waitForExit } from '../support/child-process';
import { freePort } from '../support/free-port';

jest.setTimeout(120_000);

const APPS = ['device-gateway', 'sync', 'reconcile', 'notifier'];

describe.each(APPS)('%s', (app) => {
  const schema = uniqueName(app.replace('-', '_'));
  afterAll(() => dropSchema(schema));

  it('boots, migrates its schema, reports ready, serves metrics and docs, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawnTs(resolve(__dirname, `../../apps/${app}/src/main.ts`), {
      PORT: String(port),
      HTTP_HOST: '127.0.0.1',
      DATABASE_URL: testDatabaseUrl(),
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      DB_SCHEMA: schema,
      KAFKA_TOPIC_PREFIX: `${schema}.`,
      KAFKA_PARTITIONS: '2',
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      const ready = await pollUntil(
        () => fetch(`${base}/readyz`).then((r) => r.status),
        (status) => status === 200,
        { timeoutMs: 60_000, intervalMs: 250, what: `${app} ready` },
      );
      expect(ready).toBe(200);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain('process_cpu_user_seconds_total');
      const openapi = (await (await fetch(`${base}/docs/openapi.json`)).json()) as {
        info: { title: string };
      };
      expect(openapi.info.title).toBe(app);
      const missing = await fetch(`${base}/no-such-route`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({
        error: { code: 'NOT_FOUND', message: expect.any(String), details: [] },
      });
      const post = (body: string) =>
        fetch(`${base}/v1/anything`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
      const malformed = await post('{"not json');
      expect([
        malformed.status,
        ((await malformed.json()) as { error: { code: string } }).error.code,
      ]).toEqual([400, 'MALFORMED_JSON']);
      const huge = await post(JSON.stringify({ pad: 'x'.repeat(12 * 1024 * 1024) }));
      expect([huge.status, ((await huge.json()) as { error: { code: string } }).error.code]).toEqual([
        413,
        'PAYLOAD_TOO_LARGE',
      ]);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await waitForExit(child)).toBe(0);
  });
});

describe('configuration', () => {
  it('refuses to start with a bad variable and names it', async () => {
    const child = spawnTs(resolve(__dirname, '../../apps/sync/src/main.ts'), {
      PORT: 'eighty',
      KAFKA_PARTITIONS: '0',
    });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    expect(await waitForExit(child)).toBe(1);
    expect(stderr).toContain('PORT: must be an integer');
    expect(stderr).toContain('KAFKA_PARTITIONS: must be between 1 and 1000');
  });
});
