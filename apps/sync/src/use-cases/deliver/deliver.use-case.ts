import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '@lib/common';
import { queryRows } from '@lib/persistence';
import { DeliveryAttemptRunner } from '../../delivery/delivery-attempt.runner';
import { DeliveryCompletionService, fromRow } from '../../delivery/delivery-completion.service';
import { AttemptResult, ClaimedDelivery, DeliveryUpdate } from '../../delivery/delivery.model';
import { deliveryMetrics } from '../../delivery/delivery.metrics';
import { DeliveryRepository, DeliveryRow } from '../../delivery/delivery.repository';
import { AttemptRepository } from '../../delivery/attempt.repository';
import { nextDeliveryState } from '../../delivery/delivery-transition.rules';
import { RETRY_POLICY, RetryPolicy } from '../../delivery/retry.policy';
import { serialNoFor } from '../../delivery/serial-no';
import { PlatformDeliveryView } from '../../routing/failover.rules';
import { TargetAdapters } from '../../targets/target-adapters';

/**
 * Delivers one claimed delivery: the calls happen first, outside any transaction (a slow target holds
 * no connection and no lock); then one short transaction records the new state, the calls made and
 * what follows a final outcome. If this claim lost the row meanwhile (its lease ran out and another
 * worker took it), nothing is written: the other worker looks the delivery up before sending.
 */
@Injectable()
export class DeliverUseCase {
  private readonly logger = new Logger('Deliver');
  private readonly runner: DeliveryAttemptRunner;

  constructor(
    private readonly dataSource: DataSource,
    private readonly deliveries: DeliveryRepository,
    private readonly attempts: AttemptRepository,
    private readonly completion: DeliveryCompletionService,
    adapters: TargetAdapters,
    @Inject(RETRY_POLICY) private readonly policy: RetryPolicy,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.runner = new DeliveryAttemptRunner(adapters, policy, clock);
  }

  async execute(delivery: ClaimedDelivery): Promise<AttemptResult> {
    const outcome = await this.runner.run(delivery, () => this.platformViews(delivery));
    for (const call of outcome.calls) deliveryMetrics.call(delivery.target, call.action, call.outcome);
    if (outcome.result.kind === 'deferred') deliveryMetrics.call(delivery.target, 'none', outcome.result.code);
    const now = this.clock.now();
    const update = nextDeliveryState(delivery, outcome.result, outcome.counted, this.policy, now);
    const serialNo =
      update.generation === delivery.generation
        ? delivery.serialNo
        : serialNoFor(delivery.invoiceKey, delivery.kind, delivery.target, update.generation);
    await this.dataSource.transaction(async (manager) => {
      const owned = await this.deliveries.applyUpdate(manager, delivery.id, delivery.claims, update, serialNo, now);
      if (!owned) {
        this.logger.warn({ delivery: delivery.id, target: delivery.target }, 'claim lost before the outcome was recorded');
        return;
      }
      await this.attempts.insert(manager, delivery.id, update.attempts, delivery.target, outcome.calls);
      if (outcome.result.kind === 'relay') await this.startRelay(manager, delivery, outcome.result.via, now);
      else await this.completion.finished(manager, finishedOf(delivery, update, serialNo), now);
    });
    return outcome.result;
  }

  /** The authority is unreachable: the platform delivery carries the invoice; if it already did, the authority delivery is relayed now. */
  private async startRelay(manager: EntityManager, delivery: ClaimedDelivery, via: 'baiwang' | 'nuonuo', now: Date): Promise<void> {
    await this.attempts.insert(manager, delivery.id, delivery.attempts, delivery.target, [
      { action: 'relay', serialNo: delivery.serialNo, outcome: `relay_via_${via}`, startedAt: now, latencyMs: 0 },
    ]);
    const [platform] = await queryRows<DeliveryRow>(
      manager,
      'SELECT * FROM deliveries WHERE invoice_key = $1 AND event_kind = $2 AND target = $3',
      [delivery.invoiceKey, delivery.kind, via],
    );
    if (platform && (platform.status === 'accepted' || platform.status === 'relayed')) {
      await this.completion.settleRelays(manager, fromRow(platform), true, now);
      return;
    }
    await this.deliveries.hurry(manager, delivery.invoiceKey, delivery.kind, via, now);
  }

  private async platformViews(delivery: ClaimedDelivery): Promise<PlatformDeliveryView[]> {
    return queryRows<PlatformDeliveryView>(
      this.dataSource.manager,
      `SELECT target, status FROM deliveries WHERE invoice_key = $1 AND event_kind = $2 AND target <> 'authority'`,
      [delivery.invoiceKey, delivery.kind],
    );
  }
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
