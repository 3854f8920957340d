import { Logger } from '@nestjs/common';
import { Clock, sleep } from '@lib/common';
import { TargetName } from '@lib/providers';
import { TargetAdapters } from '../targets/target-adapters';
import { DeliveryClaimRepository } from './delivery-claim.repository';
import { ClaimedDelivery } from './delivery.model';

export interface TargetWorkerOptions {
  target: TargetName;
  concurrency: number;
  leaseMs: number;
  idlePollMs: number;
  defaultFailover: boolean;
}

/**
 * Keeps up to `concurrency` deliveries of one target in flight. Claims in batches (as many as there are
 * free slots), so a fast target is not slowed by one claim query per delivery, and never blocks on one
 * delivery: each runs on its own and frees its slot when recorded. While the target's breaker is open
 * it claims nothing (nothing would be sent anyway) except, for the authority, deliveries that may be
 * relayed through a platform.
 */
export class TargetWorker {
  private readonly logger: Logger;
  private readonly stopSignal = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private wake?: () => void;
  private loop?: Promise<void>;

  constructor(
    private readonly options: TargetWorkerOptions,
    private readonly claims: DeliveryClaimRepository,
    private readonly adapters: TargetAdapters,
    private readonly deliver: (delivery: ClaimedDelivery) => Promise<unknown>,
    private readonly clock: Clock,
  ) {
    this.logger = new Logger(`Worker:${options.target}`);
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopSignal.abort();
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  private async run(): Promise<void> {
    const { target, concurrency } = this.options;
    while (!this.stopSignal.signal.aborted) {
      const free = concurrency - this.inFlight.size;
      if (free <= 0) {
        await this.slotFreed();
        continue;
      }
      const available = this.adapters.isAvailable(target);
      if (!available && target !== 'authority') {
        await sleep(this.options.idlePollMs, this.stopSignal.signal);
        continue;
      }
      let claimed: ClaimedDelivery[] = [];
      try {
        claimed = await this.claims.claimDue({
          target,
          limit: free,
          now: this.clock.now(),
          leaseMs: this.options.leaseMs,
          failoverOnly: !available,
          defaultFailover: this.options.defaultFailover,
        });
      } catch (error) {
        this.logger.error({ err: error }, 'claim failed; retrying');
      }
      if (claimed.length === 0) {
        await sleep(this.options.idlePollMs, this.stopSignal.signal);
        continue;
      }
      for (const delivery of claimed) this.track(delivery);
    }
  }

  private track(delivery: ClaimedDelivery): void {
    const running: Promise<void> = this.deliver(delivery)
      .then(() => undefined)
      .catch((error: unknown) => {
        // The claim stays `sending` until its lease ends; then it is looked up and retried.
        this.logger.error({ err: error, delivery: delivery.id }, 'delivery failed to record; it is retried after its lease');
      })
      .finally(() => {
        this.inFlight.delete(running);
        this.wake?.();
      });
    this.inFlight.add(running);
  }

  private slotFreed(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
  }
}
