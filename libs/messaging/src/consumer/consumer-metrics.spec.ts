import { metricsRegistry } from '@lib/observability';
import { ConsumerMetrics } from './consumer-metrics';

const handledCount = async (labels: Record<string, string>): Promise<number> => {
  const metric = await metricsRegistry.getSingleMetric('kafka_messages_handled_total')?.get();
  const match = metric?.values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x));
  return match?.value ?? 0;
};

describe('ConsumerMetrics', () => {
  it('counts from every instance into the one series registered under its name', async () => {
    const labels = { group: 'g-spec', topic: 't-spec', outcome: 'processed' };
    const before = await handledCount(labels);
    new ConsumerMetrics().handled('g-spec', 't-spec', 'processed', process.hrtime.bigint());
    new ConsumerMetrics().handled('g-spec', 't-spec', 'processed', process.hrtime.bigint());
    expect(await handledCount(labels)).toBe(before + 2);
  });

  it('counts a dead-lettered message by group, topic and code', async () => {
    new ConsumerMetrics().deadLettered('g-spec', 't-spec', 'BAD_JSON');
    const metric = await metricsRegistry.getSingleMetric('kafka_messages_dead_lettered_total')?.get();
    expect(metric?.values).toContainEqual(
      expect.objectContaining({ labels: { group: 'g-spec', topic: 't-spec', code: 'BAD_JSON' }, value: 1 }),
    );
  });
});
