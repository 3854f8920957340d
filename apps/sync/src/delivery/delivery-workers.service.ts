import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, Clock, sleep } from '@lib/common';
import { TargetName } from '@lib/providers';
import { SYNC_CONFIG } from '../sync.tokens';
import { SyncConfig } from '../sync.config';
import { TargetAdapters } from '../targets/target-adapters';
import { CompletedAttempt, DeliverUseCase } from '../use-cases/deliver/deliver.use-case';
import { DeliveryClaimRepository } from './delivery-claim.repository';
import { DeliveryCompletionService } from './delivery-completion.service';
import { deliveryMetrics } from './delivery.metrics';
import { DeliveryRepository } from './delivery.repository';
import { TargetWorker } from './target-worker';

const HOUSEKEEPING_MS = 5_000;

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
        { attempt: (delivery) => this.deliver.attempt(delivery), record: (completed) => this.deliver.record(completed) },
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

  private concurrencyOf(target: TargetName): number {
    const byTarget: Record<TargetName, number> = {
      authority: this.config.SYNC_CONCURRENCY_AUTHORITY,
      baiwang: this.config.SYNC_CONCURRENCY_BAIWANG,
      nuonuo: this.config.SYNC_CONCURRENCY_NUONUO,
    };
    return byTarget[target];
  }

  private async keepHouse(): Promise<void> {
    while (!this.stopSignal.signal.aborted) {
      try {
        const now = this.clock.now();
        const released = await this.deliveries.releaseOverlooked(now);
        if (released > 0) this.logger.log(`released ${released} deliveries whose predecessor was delivered`);
        const relays = await this.dataSource.transaction((m) => this.completion.settleOverlookedRelays(m, now));
        if (relays > 0) this.logger.log(`settled ${relays} relays whose platform delivery had already ended`);
        deliveryMetrics.backlog(await this.deliveries.backlog(now));
      } catch (error) {
        this.logger.warn({ err: error }, 'housekeeping failed; retrying');
      }
      await sleep(HOUSEKEEPING_MS, this.stopSignal.signal);
    }
  }
}
