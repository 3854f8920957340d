import { Logger } from '@nestjs/common';
import { Clock, sleep } from '@lib/common';
import { TargetName } from '@lib/providers';
import { TargetAdapters } from '../targets/target-adapters';
import { DeliveryClaimRepository } from './delivery-claim.repository';
import { ClaimedDelivery } from './delivery.model';

export interface TargetWorkerOptions {
  target: TargetName;
  /** Calls to the target in flight at most. */
  concurrency: number;
  leaseMs: number;
  idlePollMs: number;
  defaultFailover: boolean;
  /** Outcomes written per recording transaction, at most (default 64). */
  recordBatchSize?: number;
  /** Recording transactions open at once, at most (default 1: fewer, larger transactions). */
  recordConcurrency?: number;
}

/** The two steps of a delivery: the calls (no transaction), then recording the outcomes (one transaction for several). */
export interface DeliverySteps<T> {
  attempt(delivery: ClaimedDelivery): Promise<T>;
  record(completed: T[]): Promise<void>;
}

interface Claimed {
  delivery: ClaimedDelivery;
  claimedAt: number;
}

/**
 * Keeps up to `concurrency` calls to one target in flight, as a pipeline that keeps the database off the
 * calls' path:
 * - claims in batches, ahead of need (up to 2 × `concurrency` rows waiting besides those in flight,
 *   claimed again once `concurrency` rows can be), in one statement per batch; a freed slot starts the
 *   next claimed delivery at once. A claimed row left waiting for half its lease is given back unsent.
 * - a slot is freed as soon as its calls are done; outcomes are recorded in batches (group commit: what
 *   completed while the previous transaction ran goes into the next one), at most `recordConcurrency`
 *   transactions at once. Outcomes waiting to be recorded are bounded (4 × concurrency): a slow
 *   database slows the calls down instead of piling up.
 * While the target's breaker is open it claims nothing (nothing would be sent anyway) except, for the
 * authority, deliveries that may be relayed through a platform. Stopping finishes the calls in flight,
 * records their outcomes and gives back the claimed rows not yet sent.
 */
export class TargetWorker<T> {
  private readonly logger: Logger;
  private readonly stopSignal = new AbortController();
  private readonly ready: Claimed[] = [];
  private readonly calls = new Set<Promise<void>>();
  private readonly toRecord: T[] = [];
  private readonly recordings = new Set<Promise<void>>();
  private recordingCount = 0;
  private idleUntil = 0;
  private wake?: () => void;
  private loop?: Promise<void>;

  constructor(
    private readonly options: TargetWorkerOptions,
    private readonly claims: DeliveryClaimRepository,
    private readonly adapters: TargetAdapters,
    private readonly steps: DeliverySteps<T>,
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
    const unsent = this.ready.splice(0);
    await this.giveBack(unsent.map((c) => c.delivery));
    await Promise.allSettled([...this.calls]);
    while (this.toRecord.length > 0 || this.recordings.size > 0) {
      this.flush();
      await Promise.allSettled([...this.recordings]);
    }
  }

  private get unrecorded(): number {
    return this.toRecord.length + this.recordingCount;
  }

  private get maxUnrecorded(): number {
    return this.options.concurrency * 4;
  }

  private async run(): Promise<void> {
    const { target, concurrency } = this.options;
    const depth = concurrency * 3;
    const refillAt = concurrency;
    while (!this.stopSignal.signal.aborted) {
      this.startReady();
      const wanted = depth - this.calls.size - this.ready.length;
      if (wanted < refillAt || this.unrecorded >= this.maxUnrecorded) {
        await this.nextEvent();
        continue;
      }
      const idleFor = this.idleUntil - Date.now();
      if (idleFor > 0) {
        await this.nextEvent(idleFor);
        continue;
      }
      const available = this.adapters.isAvailable(target);
      if (!available && !this.adapters.isAuthority(target)) {
        this.idleUntil = Date.now() + this.options.idlePollMs;
        continue;
      }
      let claimed: ClaimedDelivery[];
      try {
        claimed = await this.claims.claimDue({
          target,
          limit: wanted,
          now: this.clock.now(),
          leaseMs: this.options.leaseMs,
          failoverOnly: !available,
          defaultFailover: this.options.defaultFailover,
        });
      } catch (error) {
        this.logger.error({ err: error }, 'claim failed; retrying');
        await sleep(this.options.idlePollMs, this.stopSignal.signal);
        continue;
      }
      if (claimed.length === 0) {
        this.idleUntil = Date.now() + this.options.idlePollMs;
        continue;
      }
      const claimedAt = this.clock.now().getTime();
      for (const delivery of claimed) this.ready.push({ delivery, claimedAt });
    }
  }

  /** Starts claimed deliveries in the free slots; one claimed too long ago is given back instead. */
  private startReady(): void {
    const stale: ClaimedDelivery[] = [];
    while (this.calls.size < this.options.concurrency && this.unrecorded < this.maxUnrecorded) {
      const next = this.ready.shift();
      if (!next) break;
      if (this.clock.now().getTime() - next.claimedAt > this.options.leaseMs / 2) stale.push(next.delivery);
      else this.call(next.delivery);
    }
    if (stale.length > 0) void this.giveBack(stale);
  }

  private call(delivery: ClaimedDelivery): void {
    const running: Promise<void> = this.steps
      .attempt(delivery)
      .then((completed) => {
        this.toRecord.push(completed);
        this.flush();
      })
      .catch((error: unknown) => {
        // The claim stays `sending` until its lease ends; then it is looked up and retried.
        this.logger.error(
          { err: error, delivery: delivery.id },
          'delivery failed; it is retried after its lease',
        );
      })
      .finally(() => {
        this.calls.delete(running);
        this.wake?.();
      });
    this.calls.add(running);
  }

  /** Starts recording transactions for what waits, up to `recordConcurrency` at once. */
  private flush(): void {
    const batchSize = this.options.recordBatchSize ?? 64;
    while (this.recordings.size < (this.options.recordConcurrency ?? 1) && this.toRecord.length > 0) {
      const batch = this.toRecord.splice(0, batchSize);
      this.recordingCount += batch.length;
      const recording: Promise<void> = this.record(batch).finally(() => {
        this.recordingCount -= batch.length;
        this.recordings.delete(recording);
        this.wake?.();
        this.flush();
      });
      this.recordings.add(recording);
    }
  }

  /** One transaction for the batch; if it fails, each outcome on its own, so one bad outcome does not hold back the rest. */
  private async record(batch: T[]): Promise<void> {
    try {
      await this.steps.record(batch);
      return;
    } catch (error) {
      if (batch.length === 1) {
        this.logger.error(
          { err: error },
          'outcome failed to record; the delivery is retried after its lease',
        );
        return;
      }
      this.logger.warn(
        { err: error, outcomes: batch.length },
        'batch failed to record; recording its outcomes one by one',
      );
    }
    for (const completed of batch) {
      await this.steps.record([completed]).catch((error: unknown) => {
        this.logger.error(
          { err: error },
          'outcome failed to record; the delivery is retried after its lease',
        );
      });
    }
  }

  /** Claimed rows that will not be sent by this worker: due again now, unless their claim was lost meanwhile. */
  private async giveBack(deliveries: ClaimedDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    try {
      await this.claims.release(
        deliveries.map((d) => ({ id: d.id, claims: d.claims })),
        this.clock.now(),
      );
    } catch (error) {
      this.logger.warn(
        { err: error, deliveries: deliveries.length },
        'could not give back claimed deliveries; they are taken over after their lease',
      );
    }
  }

  /** Resolves on the next completed call or recording, on stop, or after `timeoutMs`. */
  private nextEvent(timeoutMs?: number): Promise<void> {
    if (this.stopSignal.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => this.wake?.(), timeoutMs);
      this.wake = () => {
        this.wake = undefined;
        if (timer) clearTimeout(timer);
        resolve();
      };
    });
  }
}
