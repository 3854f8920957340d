import { counter, histogram } from '@lib/observability';

const handled = counter('kafka_messages_handled_total', 'Kafka messages handled by outcome', [
  'group',
  'topic',
  'outcome',
]);
const deadLettered = counter('kafka_messages_dead_lettered_total', 'Messages sent to a DLQ', [
  'group',
  'topic',
  'code',
]);
const duration = histogram('kafka_handler_duration_seconds', 'Handler time including its transaction', [
  'group',
  'topic',
]);

export const consumerMetrics = {
  handled(group: string, topic: string, outcome: string, started: bigint): void {
    handled.inc({ group, topic, outcome });
    duration.observe({ group, topic }, Number(process.hrtime.bigint() - started) / 1e9);
  },
  deadLettered(group: string, topic: string, code: string): void {
    deadLettered.inc({ group, topic, code });
  },
};
