import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { metricsRegistry } from '../metrics/registry';
import { HealthController } from './health.controller';
import { HealthModule } from './health.module';
import { ReadinessIndicator } from './readiness';

const state = { database: true, kafka: true };

@Injectable()
class FakeDatabase implements ReadinessIndicator {
  readonly name = 'database';
  async check(): Promise<void> {
    if (!state.database) throw new Error('connection refused');
  }
}

@Injectable()
class FakeKafka implements ReadinessIndicator {
  readonly name = 'kafka';
  async check(): Promise<void> {
    if (!state.kafka) throw new Error('broker unreachable');
  }
}

async function controller(...args: Parameters<typeof HealthModule.forRoot>): Promise<HealthController> {
  const moduleRef = await Test.createTestingModule({ imports: [HealthModule.forRoot(...args)] }).compile();
  return moduleRef.get(HealthController);
}

async function gaugeValue(check: string, required: string): Promise<number | undefined> {
  const metric = await metricsRegistry.getSingleMetric('readiness_check_up')?.get();
  return metric?.values.find((v) => v.labels.check === check && v.labels.required === required)?.value;
}

/** The body of a 503 from terminus. */
async function refusal(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceUnavailableException);
  return (error as ServiceUnavailableException).getResponse();
}

describe('/readyz', () => {
  beforeEach(() => Object.assign(state, { database: true, kafka: true }));

  it('requires every indicator by default (sync, reconcile, notifier: database and Kafka)', async () => {
    const health = await controller([FakeDatabase, FakeKafka]);
    expect(await health.ready()).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, kafka: { status: 'up' } },
    });
    state.kafka = false;
    expect(await refusal(health.ready())).toMatchObject({
      status: 'error',
      error: { kafka: { status: 'down' } },
    });
    expect(await gaugeValue('kafka', 'true')).toBe(0);
  });

  it('reports an informational indicator without ever failing on it (the gateway’s Kafka)', async () => {
    const health = await controller([FakeDatabase], { informational: [FakeKafka] });
    expect(await health.ready()).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, kafka: { status: 'up', required: false, reachable: true } },
    });
    state.kafka = false;
    expect(await health.ready()).toMatchObject({
      status: 'ok',
      details: {
        database: { status: 'up' },
        kafka: { status: 'up', required: false, reachable: false },
      },
    });
    expect(await gaugeValue('kafka', 'false')).toBe(0);
    expect(await gaugeValue('database', 'true')).toBe(1);
    state.database = false;
    expect(await refusal(health.ready())).toMatchObject({
      status: 'error',
      error: { database: { status: 'down' } },
    });
  });

  it('keeps /healthz free of dependency checks', async () => {
    state.database = false;
    state.kafka = false;
    const health = await controller([FakeDatabase], { informational: [FakeKafka] });
    expect(await health.live()).toMatchObject({ status: 'ok', details: { process: { status: 'up' } } });
  });
});
