import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { InvoiceEventKind } from '@lib/domain';
import { TargetName, TargetRegistry } from '@lib/providers';
import { LedgerRepository } from '../ledger/ledger.repository';
import { DELIVERED_STATUSES, DeliveryStatus } from './delivery.model';
import { DeliveryRelayRepository } from './delivery-relay.repository';
import { DeliveryRepository, DeliveryRow } from './delivery.repository';
import { DeliveryMetrics } from './delivery.metrics';
import { DeliveryResult, SyncResultsPublisher } from './sync-results.publisher';

export interface FinishedDelivery {
  invoiceKey: string;
  kind: InvoiceEventKind;
  target: TargetName;
  taxNo: string;
  status: DeliveryStatus;
  serialNo: string;
  attempts: number;
  targetRecordId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  relayVia: TargetName | null;
  createdAt: Date;
}

/**
 * What the final outcomes of one recording transaction lead to, gathered so that they are written
 * together at its end: the sync.result messages (one outbox insert) and the predecessors whose waiting
 * deliveries are released (one update).
 */
export class CompletionBatch {
  readonly results: DeliveryResult[] = [];
  readonly delivered: { invoiceKey: string; target: TargetName }[] = [];
}

/**
 * What follows a delivery's final outcome, in the transaction that records it: the result on
 * sync.results.v1, the red and void deliveries that waited for it, the original's red reversal once
 * a red invoice reached the authority, and the authority deliveries that were relayed through this
 * platform. Callers recording several outcomes pass one CompletionBatch and `flush` it once.
 */
@Injectable()
export class DeliveryCompletionService {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly relays: DeliveryRelayRepository,
    private readonly ledger: LedgerRepository,
    private readonly results: SyncResultsPublisher,
    private readonly targets: TargetRegistry,
    private readonly metrics: DeliveryMetrics,
  ) {}

  /** One outcome on its own: what follows it is written at once. */
  async finished(manager: EntityManager, done: FinishedDelivery, now: Date): Promise<void> {
    const batch = new CompletionBatch();
    await this.add(manager, batch, done, now);
    await this.flush(manager, batch, now);
  }

  /** What follows one outcome; results and releases wait in `batch` for `flush`. */
  async add(
    manager: EntityManager,
    batch: CompletionBatch,
    done: FinishedDelivery,
    now: Date,
  ): Promise<void> {
    if (done.status === 'pending' || done.status === 'sending') return;
    this.metrics.finished(done.target, done.status, done.createdAt, now);
    batch.results.push({ ...toResult(done), at: now });
    const delivered = DELIVERED_STATUSES.includes(done.status);
    if (delivered && done.kind !== 'voided')
      batch.delivered.push({ invoiceKey: done.invoiceKey, target: done.target });
    const toAuthority = this.targets.roleOf(done.target) === 'authority';
    if (delivered && toAuthority && done.kind === 'red-issued') {
      await this.ledger.applyRedReversal(manager, done.invoiceKey, now);
    }
    if (!toAuthority) await this.settleRelays(manager, batch, done, delivered, now);
  }

  /** Releases the deliveries that waited for the batch's delivered invoices, then announces its results (in order). */
  async flush(manager: EntityManager, batch: CompletionBatch, now: Date): Promise<void> {
    await this.deliveries.releaseDependentsOf(manager, batch.delivered, now);
    await this.results.publish(manager, batch.results, now);
  }

  /**
   * Safety net run by housekeeping: authority deliveries still waiting for a relay whose platform delivery already
   * ended. The relay decision and the platform's outcome are recorded by different workers; when both transactions
   * run at once neither sees the other's row, and without this the authority delivery would wait forever.
   */
  async settleOverlookedRelays(manager: EntityManager, now: Date, limit = 500): Promise<number> {
    const platforms = await this.relays.endedSourcesOfWaitingRelays(manager, this.targets.authority(), limit);
    const batch = new CompletionBatch();
    for (const row of platforms) {
      const platform = fromRow(row);
      await this.settleRelays(manager, batch, platform, DELIVERED_STATUSES.includes(platform.status), now);
    }
    await this.flush(manager, batch, now);
    return platforms.length;
  }

  /** An authority delivery waiting for this platform: relayed when the platform has it, back to direct otherwise. */
  async settleRelays(
    manager: EntityManager,
    batch: CompletionBatch,
    platform: FinishedDelivery,
    delivered: boolean,
    now: Date,
  ): Promise<void> {
    if (!delivered) {
      const reason = `${platform.target}: ${platform.errorCode ?? platform.status}`;
      await this.relays.returnToDirect(manager, platform, this.targets.authority(), reason, now);
      return;
    }
    const relayed = await this.relays.markRelayed(
      manager,
      platform,
      this.targets.authority(),
      platform.targetRecordId,
      now,
    );
    for (const row of relayed) await this.add(manager, batch, fromRow(row), now);
  }
}

export function fromRow(row: DeliveryRow): FinishedDelivery {
  return {
    invoiceKey: row.invoice_key,
    kind: row.event_kind,
    target: row.target,
    taxNo: row.tax_no,
    status: row.status,
    serialNo: row.serial_no,
    attempts: row.attempts,
    targetRecordId: row.target_record_id,
    errorCode: row.last_error_code,
    errorMessage: row.last_error_message,
    relayVia: row.relay_via,
    createdAt: row.created_at,
  };
}

function toResult(done: FinishedDelivery): DeliveryResult {
  return {
    invoiceKey: done.invoiceKey,
    taxNo: done.taxNo,
    target: done.target,
    outcome: done.status as 'accepted' | 'rejected' | 'dead' | 'relayed',
    serialNo: done.serialNo,
    attempts: done.attempts,
    errorCode: done.errorCode,
    errorMessage: done.errorMessage,
    targetRecordId: done.targetRecordId,
    relayedVia: done.status === 'relayed' ? done.relayVia : null,
  };
}
