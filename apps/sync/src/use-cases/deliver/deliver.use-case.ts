import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '@lib/common';
import { AttemptOutcome, DeliveryAttemptRunner } from '../../delivery/delivery-attempt.runner';
import {
  CompletionBatch,
  DeliveryCompletionService,
  fromRow,
} from '../../delivery/delivery-completion.service';
import { AttemptResult, ClaimedDelivery, DeliveryUpdate } from '../../delivery/delivery.model';
import { DeliveryMetrics } from '../../delivery/delivery.metrics';
import { DeliveryRelayRepository } from '../../delivery/delivery-relay.repository';
import { DeliveryRepository } from '../../delivery/delivery.repository';
import { AttemptInsert, AttemptRepository } from '../../delivery/attempt.repository';
import { nextDeliveryState } from '../../delivery/delivery-transition.rules';
import { RETRY_POLICY, RetryPolicy } from '../../delivery/retry.policy';
import { serialNoFor } from '../../delivery/serial-no';
import { PlatformDeliveryView } from '../../delivery/failover.rules';
import { TargetAdapters } from '../../targets/target-adapters';

/** A delivery whose calls are done, with the state to record. */
export interface CompletedAttempt {
  delivery: ClaimedDelivery;
  outcome: AttemptOutcome;
  update: DeliveryUpdate;
  serialNo: string;
  /** When the calls ended: the time of the new state. */
  now: Date;
}

/**
 * Delivers claimed deliveries in two steps. `attempt` makes the calls, outside any transaction (a slow
 * target holds no connection and no lock). `record` then writes the outcomes of one or more deliveries
 * in one short transaction: their new states, the calls made, and what follows a final outcome (one
 * multi-row outbox insert). An outcome whose claim lost the row meanwhile (its lease ran out and another
 * worker took it) is not written: the other worker looks the delivery up before sending.
 */
@Injectable()
export class DeliverUseCase {
  private readonly logger = new Logger('Deliver');
  private readonly runner: DeliveryAttemptRunner;

  constructor(
    private readonly dataSource: DataSource,
    private readonly deliveries: DeliveryRepository,
    private readonly relays: DeliveryRelayRepository,
    private readonly attempts: AttemptRepository,
    private readonly completion: DeliveryCompletionService,
    private readonly adapters: TargetAdapters,
    @Inject(RETRY_POLICY) private readonly policy: RetryPolicy,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: DeliveryMetrics,
  ) {
    this.runner = new DeliveryAttemptRunner(adapters, policy, clock);
  }

  /** Calls and records one delivery. */
  async execute(delivery: ClaimedDelivery): Promise<AttemptResult> {
    const completed = await this.attempt(delivery);
    await this.record([completed]);
    return completed.outcome.result;
  }

  /** The calls for one claimed delivery (no transaction) and the state they lead to. */
  async attempt(delivery: ClaimedDelivery): Promise<CompletedAttempt> {
    const outcome = await this.runner.run(delivery, () => this.platformViews(delivery));
    for (const call of outcome.calls) this.metrics.call(delivery.target, call.action, call.outcome);
    if (outcome.result.kind === 'deferred') this.metrics.call(delivery.target, 'none', outcome.result.code);
    const now = this.clock.now();
    const update = nextDeliveryState(delivery, outcome.result, outcome.counted, this.policy, now);
    const serialNo =
      update.generation === delivery.generation
        ? delivery.serialNo
        : serialNoFor(delivery.invoiceKey, delivery.kind, delivery.target, update.generation);
    return { delivery, outcome, update, serialNo, now };
  }

  /** Records the outcomes of several deliveries in one transaction (rows locked in id order). */
  async record(completed: CompletedAttempt[]): Promise<void> {
    if (completed.length === 0) return;
    const byId = [...completed].sort((a, b) => compareIds(a.delivery.id, b.delivery.id));
    const flushedAt = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const owned = await this.deliveries.applyUpdates(
        manager,
        byId.map((c) => ({
          id: c.delivery.id,
          claims: c.delivery.claims,
          update: c.update,
          serialNo: c.serialNo,
          now: c.now,
        })),
      );
      const mine = byId.filter((c) => owned.has(c.delivery.id));
      for (const lost of byId.filter((c) => !owned.has(c.delivery.id))) {
        this.logger.warn(
          { delivery: lost.delivery.id, target: lost.delivery.target },
          'claim lost before the outcome was recorded',
        );
      }
      await this.attempts.insertMany(
        manager,
        mine.flatMap((c) => [
          ...c.outcome.calls.map((call) => ({
            deliveryId: c.delivery.id,
            attemptNo: c.update.attempts,
            target: c.delivery.target,
            call,
          })),
          ...(c.outcome.result.kind === 'relay' ? [relayCall(c.delivery, c.outcome.result.via, c.now)] : []),
        ]),
      );
      const batch = new CompletionBatch();
      for (const c of mine) {
        if (c.outcome.result.kind === 'relay')
          await this.startRelay(manager, batch, c.delivery, c.outcome.result.via, c.now);
        else await this.completion.add(manager, batch, finishedOf(c.delivery, c.update, c.serialNo), c.now);
      }
      await this.completion.flush(manager, batch, flushedAt);
    });
  }

  /** The authority is unreachable: the platform delivery carries the invoice; if it already did, the authority delivery is relayed now. */
  private async startRelay(
    manager: EntityManager,
    batch: CompletionBatch,
    delivery: ClaimedDelivery,
    via: string,
    now: Date,
  ): Promise<void> {
    const platform = await this.relays.platformDelivery(manager, delivery.invoiceKey, delivery.kind, via);
    if (platform && (platform.status === 'accepted' || platform.status === 'relayed')) {
      await this.completion.settleRelays(manager, batch, fromRow(platform), true, now);
      return;
    }
    await this.relays.hurry(manager, delivery.invoiceKey, delivery.kind, via, now);
  }

  private async platformViews(delivery: ClaimedDelivery): Promise<PlatformDeliveryView[]> {
    return this.relays.platformStatuses(
      this.dataSource.manager,
      delivery.invoiceKey,
      delivery.kind,
      this.adapters.registry.platforms(),
    );
  }
}

/** The relay itself, logged as a call of the authority delivery (under its attempt count before this claim). */
function relayCall(delivery: ClaimedDelivery, via: string, now: Date): AttemptInsert {
  return {
    deliveryId: delivery.id,
    attemptNo: delivery.attempts,
    target: delivery.target,
    call: {
      action: 'relay',
      serialNo: delivery.serialNo,
      outcome: `relay_via_${via}`,
      startedAt: now,
      latencyMs: 0,
    },
  };
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function finishedOf(delivery: ClaimedDelivery, update: DeliveryUpdate, serialNo: string) {
  return {
    invoiceKey: delivery.invoiceKey,
    kind: delivery.kind,
    target: delivery.target,
    taxNo: delivery.taxNo,
    status: update.status,
    serialNo,
    attempts: update.attempts,
    targetRecordId: update.targetRecordId,
    errorCode: update.errorCode,
    errorMessage: update.errorMessage,
    relayVia: update.relayVia,
    createdAt: delivery.createdAt,
  };
}
