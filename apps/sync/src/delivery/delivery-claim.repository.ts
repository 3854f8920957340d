import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Invoice } from '@lib/domain';
import { TargetName } from '@lib/providers';
import { queryRows, returningRows } from '@lib/persistence';
import { RoutingRepository } from '../routing/routing.repository';
import { PlatformName } from '../routing/routing.model';
import { ClaimedDelivery } from './delivery.model';
import { DeliveryRow } from './delivery.repository';

export interface ClaimOptions {
  target: TargetName;
  limit: number;
  now: Date;
  leaseMs: number;
  /** Only deliveries whose taxpayer allows failover (the target is unavailable, but they may be relayed). */
  failoverOnly: boolean;
  defaultFailover: boolean;
}

/**
 * The worker's claim: due deliveries of one target, oldest due first, locked with SKIP LOCKED so
 * workers in any number of processes never take the same row. A batch of rows is claimed in one
 * statement that also joins the invoice and the routing (one round trip per batch, not three). The claim itself commits at once (status
 * `sending`, due again when the lease ends): the call to the target happens outside any transaction.
 * A row found still `sending` had its worker die mid-call: its outcome is unknown, so it is looked up
 * before anything is sent again.
 */
@Injectable()
export class DeliveryClaimRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly routing: RoutingRepository,
  ) {}

  /**
   * One statement: picks and claims up to `limit` due rows and returns them with what sending needs (the
   * invoice payload, the taxpayer's routing, when the current serial was first sent), oldest due first.
   */
  async claimDue(options: ClaimOptions): Promise<ClaimedDelivery[]> {
    const rows = await queryRows<ClaimedRow>(
      this.dataSource.manager,
      `WITH picked AS (
         SELECT d.id, d.status AS previous_status, d.updated_at AS previous_update, d.due_at AS previous_due
           FROM deliveries d
          WHERE d.target = $1 AND d.due_at <= $2
            AND (NOT $5::boolean
                 OR COALESCE((SELECT r.allow_failover FROM routing r WHERE r.tax_no = d.tax_no), $6::boolean))
          ORDER BY d.due_at
          LIMIT $3
          FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE deliveries d
            SET status = 'sending', claims = d.claims + 1, due_at = $2::timestamptz + make_interval(secs => $4::float8 / 1000),
                needs_lookup = d.needs_lookup OR picked.previous_status = 'sending', updated_at = $2
           FROM picked
          WHERE d.id = picked.id
          RETURNING d.*, picked.previous_status, picked.previous_update, picked.previous_due)
       SELECT c.*, i.invoice, r.platforms AS routing_platforms, r.allow_failover AS routing_allow_failover, h.device_no,
              CASE WHEN c.needs_lookup OR c.pending_since IS NOT NULL THEN
                COALESCE((SELECT min(a.started_at) FROM delivery_attempts a
                           WHERE a.delivery_id = c.id AND a.action = 'upload' AND a.serial_no = c.serial_no
                             AND a.outcome IN ('accepted', 'pending', 'unknown')),
                         CASE WHEN c.previous_status = 'sending' THEN c.previous_update END)
              END AS first_sent_at
         FROM claimed c
         LEFT JOIN invoices i ON i.invoice_key = c.invoice_key
         LEFT JOIN routing r ON r.tax_no = c.tax_no
         LEFT JOIN hosted_devices h ON h.device_id = i.device_id
        ORDER BY c.previous_due, c.id`,
      [
        options.target,
        options.now,
        options.limit,
        options.leaseMs,
        options.failoverOnly,
        options.defaultFailover,
      ],
    );
    return rows.map((row) => ({
      id: String(row.id),
      invoiceKey: row.invoice_key,
      kind: row.event_kind,
      target: row.target,
      taxNo: row.tax_no,
      serialNo: row.serial_no,
      generation: row.generation,
      attempts: row.attempts,
      polls: row.polls,
      claims: row.claims,
      needsLookup: row.needs_lookup,
      pendingSince: row.pending_since,
      createdAt: row.created_at,
      invoice: row.invoice as Invoice,
      routing:
        row.routing_platforms === null
          ? this.routing.defaultFor(row.tax_no)
          : {
              taxNo: row.tax_no,
              platforms: row.routing_platforms,
              allowFailover: row.routing_allow_failover ?? false,
            },
      firstSentAt: row.first_sent_at,
      deviceNo: row.device_no,
    }));
  }

  /**
   * Gives back claimed rows that were never sent (a worker stopping with prefetched claims): due now,
   * as they were, and only if this claim still owns them. A row taken over from a dead worker keeps
   * `needs_lookup`, set by its claim.
   */
  async release(claims: { id: string; claims: number }[], now: Date): Promise<number> {
    if (claims.length === 0) return 0;
    const rows = await returningRows<{ id: string }>(
      this.dataSource.manager,
      `UPDATE deliveries d SET status = 'pending', due_at = $3, updated_at = $3
         FROM unnest($1::bigint[], $2::int[]) AS u(id, claims)
        WHERE d.id = u.id AND d.claims = u.claims AND d.status = 'sending'
        RETURNING d.id`,
      [claims.map((c) => c.id), claims.map((c) => c.claims), now],
    );
    return rows.length;
  }
}

interface ClaimedRow extends DeliveryRow {
  invoice: Invoice | null;
  routing_platforms: PlatformName[] | null;
  routing_allow_failover: boolean | null;
  first_sent_at: Date | null;
  /** The issuing device's 机器编号 as the registry last announced it (device.changed), null when unknown. */
  device_no: string | null;
}
