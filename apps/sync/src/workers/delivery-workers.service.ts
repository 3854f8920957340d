import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, Clock, sleep } from '@lib/common';
import { SYNC_CONFIG } from '../sync.tokens';
import { concurrencyOf, SyncConfig } from '../sync.config';
import { TargetAdapters } from '../targets/target-adapters';
import { CompletedAttempt, DeliverUseCase } from '../use-cases/deliver/deliver.use-case';
import { DeliveryClaimRepository } from '../delivery/delivery-claim.repository';
import { DeliveryCompletionService } from '../delivery/delivery-completion.service';
import { DeliveryMetrics } from '../delivery/delivery.metrics';
import { DeliveryRepository } from '../delivery/delivery.repository';
import { TargetWorker } from '../delivery/target-worker';

/** Starts one worker per target that has an adapter, plus housekeeping (overlooked releases, backlog metrics). */
@Injectable()
export class DeliveryWorkersService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeliveryWorkers');
  private readonly workers: TargetWorker<CompletedAttempt>[] = [];
  private readonly stopSignal = new AbortController();
  private housekeeping?: Promise<void>;

  constructor(
    @Inject(SYNC_CONFIG) private readonly config: SyncConfig,
    private readonly adapters: TargetAdapters,
    private readonly claims: DeliveryClaimRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly deliver: DeliverUseCase,
    private readonly completion: DeliveryCompletionService,
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: DeliveryMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.SYNC_WORKERS_ENABLED) return;
    for (const target of this.adapters.targets()) {
      const worker = new TargetWorker(
        {
          target,
          concurrency: this.concurrencyOf(target),
          leaseMs: this.config.SYNC_SENDING_LEASE_MS,
          idlePollMs: this.config.SYNC_IDLE_POLL_MS,
          defaultFailover: this.config.SYNC_DEFAULT_FAILOVER,
        },
        this.claims,
        this.adapters,
        {
          attempt: (delivery) => this.deliver.attempt(delivery),
          record: (completed) => this.deliver.record(completed),
        },
        this.clock,
      );
      worker.start();
      this.workers.push(worker);
    }
    this.housekeeping = this.keepHouse();
    this.logger.log(`delivery workers started for ${this.adapters.targets().join(', ') || 'no target'}`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopSignal.abort();
    await Promise.all(this.workers.map((w) => w.stop()));
    await this.housekeeping;
  }

  private concurrencyOf(target: string): number {
    const definition = this.adapters.registry.get(target);
    if (!definition) throw new Error(`adapter for ${target}, which is not a registered target`);
    return concurrencyOf(this.config, definition);
  }

  private async keepHouse(): Promise<void> {
    while (!this.stopSignal.signal.aborted) {
      try {
        const now = this.clock.now();
        const released = await this.deliveries.releaseOverlooked(now);
        if (released > 0) this.logger.log(`released ${released} deliveries whose predecessor was delivered`);
        const relays = await this.dataSource.transaction((m) =>
          this.completion.settleOverlookedRelays(m, now),
        );
        if (relays > 0) this.logger.log(`settled ${relays} relays whose platform delivery had already ended`);
        this.metrics.backlog(await this.deliveries.backlog(now, this.adapters.registry.names()));
      } catch (error) {
        this.logger.warn({ err: error }, 'housekeeping failed; retrying');
      }
      await sleep(this.config.SYNC_HOUSEKEEPING_MS, this.stopSignal.signal);
    }
  }
}
