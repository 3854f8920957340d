import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { InvoiceEventKind } from '@lib/domain';
import { queryRows, returningRows } from '@lib/persistence';
import { TargetName } from '@lib/providers';
import { PlatformDeliveryView } from './failover.rules';
import { DeliveryRow } from './delivery.repository';

/** The platform delivery an authority delivery is relayed through: one invoice event at one platform. */
export interface RelaySource {
  invoiceKey: string;
  kind: InvoiceEventKind;
  target: TargetName;
}

/**
 * Writes and reads of `deliveries` for failover and relays: an authority delivery that waits for (`waiting_for = 'relay'`) the
 * platform delivery of the same invoice event named by its `relay_via`. `authority` is the registry's authority target.
 */
@Injectable()
export class DeliveryRelayRepository {
  /** The status of one invoice event's delivery at each of `platforms` that has one: what failover chooses from. */
  async platformStatuses(
    manager: EntityManager,
    invoiceKey: string,
    kind: InvoiceEventKind,
    platforms: readonly TargetName[],
  ): Promise<PlatformDeliveryView[]> {
    return queryRows<PlatformDeliveryView>(
      manager,
      `SELECT target, status FROM deliveries WHERE invoice_key = $1 AND event_kind = $2 AND target = ANY($3::text[])`,
      [invoiceKey, kind, platforms],
    );
  }

  /** The platform delivery of one invoice event at `via`, when there is one. */
  async platformDelivery(
    manager: EntityManager,
    invoiceKey: string,
    kind: InvoiceEventKind,
    via: TargetName,
  ): Promise<DeliveryRow | undefined> {
    const [row] = await queryRows<DeliveryRow>(
      manager,
      'SELECT * FROM deliveries WHERE invoice_key = $1 AND event_kind = $2 AND target = $3',
      [invoiceKey, kind, via],
    );
    return row;
  }

  /** Makes a platform delivery due now (an authority delivery is being relayed through it). */
  async hurry(
    manager: EntityManager,
    invoiceKey: string,
    kind: InvoiceEventKind,
    target: TargetName,
    now: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE deliveries SET due_at = $4, updated_at = $4
        WHERE invoice_key = $1 AND event_kind = $2 AND target = $3 AND status = 'pending' AND waiting_for IS NULL AND due_at > $4`,
      [invoiceKey, kind, target, now],
    );
  }

  /** Platform deliveries that ended while an authority delivery still waits to be relayed through them (at most `limit`). */
  async endedSourcesOfWaitingRelays(
    manager: EntityManager,
    authority: TargetName,
    limit: number,
  ): Promise<DeliveryRow[]> {
    return queryRows<DeliveryRow>(
      manager,
      `SELECT p.* FROM deliveries w
         JOIN deliveries p ON p.invoice_key = w.invoice_key AND p.event_kind = w.event_kind AND p.target = w.relay_via
        WHERE w.target = $2 AND w.waiting_for = 'relay' AND w.status = 'pending'
          AND p.status IN ('accepted', 'relayed', 'rejected', 'dead')
        LIMIT $1`,
      [limit, authority],
    );
  }

  /** The platform did not deliver: the authority delivery waiting for it goes back to direct delivery, due now. */
  async returnToDirect(
    manager: EntityManager,
    source: RelaySource,
    authority: TargetName,
    errorMessage: string,
    now: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE deliveries SET waiting_for = NULL, relay_via = NULL, due_at = $4, updated_at = $4,
              last_error_code = 'RELAY_FAILED', last_error_message = $5
        WHERE invoice_key = $1 AND event_kind = $2 AND target = $6 AND waiting_for = 'relay' AND relay_via = $3`,
      [source.invoiceKey, source.kind, source.target, now, errorMessage, authority],
    );
  }

  /** The platform delivered: the pending authority delivery waiting for it is relayed; returns the rows it finished. */
  async markRelayed(
    manager: EntityManager,
    source: RelaySource,
    authority: TargetName,
    targetRecordId: string | null,
    now: Date,
  ): Promise<DeliveryRow[]> {
    return returningRows<DeliveryRow>(
      manager,
      `UPDATE deliveries SET status = 'relayed', waiting_for = NULL, due_at = NULL, completed_at = $4, updated_at = $4,
              target_record_id = $5, last_error_code = NULL, last_error_message = NULL
        WHERE invoice_key = $1 AND event_kind = $2 AND target = $6 AND waiting_for = 'relay' AND relay_via = $3
          AND status = 'pending'
        RETURNING *`,
      [source.invoiceKey, source.kind, source.target, now, targetRecordId, authority],
    );
  }
}
