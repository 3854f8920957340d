import { INestApplication, Injectable, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureHttpApp, HealthModule, ReadinessIndicator } from '../src';

const DATABASE_PROBLEM = 'password authentication failed for user "svc" at db-7.internal:5432';
const KAFKA_PROBLEM = 'connect ECONNREFUSED 10.0.0.7:9092';
const state = { databaseUp: true };
const LEAKS = ['password', 'db-7.internal', 'ECONNREFUSED', '10.0.0.7'];

@Injectable()
class FlakyDatabase implements ReadinessIndicator {
  readonly name = 'database';
  async check(): Promise<void> {
    if (!state.databaseUp) throw new Error(DATABASE_PROBLEM);
  }
}

@Injectable()
class DownKafka implements ReadinessIndicator {
  readonly name = 'kafka';
  async check(): Promise<void> {
    throw new Error(KAFKA_PROBLEM);
  }
}

@Module({ imports: [HealthModule.forRoot([FlakyDatabase], { informational: [DownKafka] })] })
class DownModule {}

/** What anyone who reaches the pod sees of /readyz, on a real Nest app: a status per dependency, never its error. */
describe('/readyz over HTTP', () => {
  let app: INestApplication;
  let base: string;
  const warn = jest.spyOn(Logger.prototype, 'warn');

  beforeAll(async () => {
    app = await NestFactory.create(DownModule, { logger: false, bodyParser: false });
    configureHttpApp(app, { title: 'readiness' });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(() => app.close());

  it('reports an informational dependency that is down without its error text (the gateway’s Kafka)', async () => {
    const answer = await fetch(`${base}/readyz`);
    const body = await answer.text();
    expect(answer.status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, kafka: { status: 'up', required: false, reachable: false } },
    });
    for (const leak of LEAKS) expect(body).not.toContain(leak);
  });

  it('answers 503 with a status per dependency, without the error text, which goes to the log once per change', async () => {
    state.databaseUp = false;
    const first = await fetch(`${base}/readyz`);
    const body = await first.text();
    expect(first.status).toBe(503);
    expect(JSON.parse(body)).toEqual({
      status: 'error',
      info: { kafka: { status: 'up', required: false, reachable: false } },
      error: { database: { status: 'down' } },
      details: {
        database: { status: 'down' },
        kafka: { status: 'up', required: false, reachable: false },
      },
    });
    for (const leak of LEAKS) expect(body).not.toContain(leak);

    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    const logged = warn.mock.calls.map((call) => JSON.stringify(call));
    expect(logged.filter((line) => line.includes('password authentication failed'))).toHaveLength(1);
    expect(logged.filter((line) => line.includes(KAFKA_PROBLEM))).toHaveLength(1);
  });

  it('keeps /metrics open when no token is configured (development default)', async () => {
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('readiness_check_up');
  });
});
