import { counter, histogram } from '@lib/observability';

/**
 * A consumer's instruments, created with the instance. Each runner holds one (its own, or one it is given); the
 * helpers return the metric already registered under a name, so every instance in a process counts into the same
 * series on /metrics.
 */
export class ConsumerMetrics {
  private readonly handledTotal = counter(
    'kafka_messages_handled_total',
    'Kafka messages handled by outcome',
    ['group', 'topic', 'outcome'],
  );
  private readonly deadLetteredTotal = counter(
    'kafka_messages_dead_lettered_total',
    'Messages sent to a DLQ',
    ['group', 'topic', 'code'],
  );
  private readonly duration = histogram(
    'kafka_handler_duration_seconds',
    'Handler time including its transaction',
    ['group', 'topic'],
  );

  handled(group: string, topic: string, outcome: string, started: bigint): void {
    this.handledTotal.inc({ group, topic, outcome });
    this.duration.observe({ group, topic }, Number(process.hrtime.bigint() - started) / 1e9);
  }

  deadLettered(group: string, topic: string, code: string): void {
    this.deadLetteredTotal.inc({ group, topic, code });
  }
}
