import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import { ReadinessIndicator } from '@lib/observability';
import { KAFKA_CLIENT } from './kafka.tokens';

/** Ready when the broker answers a metadata request. */
@Injectable()
export class KafkaReadiness implements ReadinessIndicator, OnModuleDestroy {
  readonly name = 'kafka';
  private admin?: Admin;
  private connected = false;

  constructor(@Inject(KAFKA_CLIENT) private readonly kafka: Kafka) {}

  async check(): Promise<void> {
    this.admin ??= this.kafka.admin();
    if (!this.connected) {
      await this.admin.connect();
      this.connected = true;
    }
    try {
      await this.admin.describeCluster();
    } catch (error) {
      this.connected = false;
      await this.admin.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.connected) await this.admin?.disconnect().catch(() => undefined);
  }
}
