import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Invoice } from '@lib/domain';
import { TargetName } from '@lib/providers';
import { queryRows } from '@lib/persistence';
import { RoutingRepository } from '../routing/routing.repository';
import { ClaimedDelivery } from './delivery.model';
import { DeliveryRow } from './delivery.repository';
import { returningRows } from '../persistence/returning-rows';

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
 * workers in any number of processes never take the same row. The claim itself commits at once (status
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

  async claimDue(options: ClaimOptions): Promise<ClaimedDelivery[]> {
    const rows = await returningRows<DeliveryRow>(
      this.dataSource.manager,
      `WITH picked AS (
         SELECT d.id, d.status AS previous_status
           FROM deliveries d
          WHERE d.target = $1 AND d.due_at <= $2
            AND (NOT $5::boolean
                 OR COALESCE((SELECT r.allow_failover FROM routing r WHERE r.tax_no = d.tax_no), $6::boolean))
          ORDER BY d.due_at
          LIMIT $3
          FOR UPDATE SKIP LOCKED)
       UPDATE deliveries d
          SET status = 'sending', claims = d.claims + 1, due_at = $2::timestamptz + make_interval(secs => $4::float8 / 1000),
              needs_lookup = d.needs_lookup OR picked.previous_status = 'sending', updated_at = $2
         FROM picked
        WHERE d.id = picked.id
        RETURNING d.*`,
      [options.target, options.now, options.limit, options.leaseMs, options.failoverOnly, options.defaultFailover],
    );
    if (rows.length === 0) return [];
    const invoices = await this.invoices([...new Set(rows.map((r) => r.invoice_key))]);
    const routing = await this.routing.forTaxNos([...new Set(rows.map((r) => r.tax_no))]);
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
      invoice: invoices.get(row.invoice_key) as Invoice,
      routing: routing.get(row.tax_no) ?? this.routing.defaultFor(row.tax_no),
    }));
  }

  /** The payload each delivery sends: for a void, the ledger keeps the voided event's body. */
  private async invoices(keys: string[]): Promise<Map<string, Invoice>> {
    const rows = await queryRows<{ invoice_key: string; invoice: Invoice }>(
      this.dataSource.manager,
      'SELECT invoice_key, invoice FROM invoices WHERE invoice_key = ANY($1)',
      [keys],
    );
    return new Map(rows.map((r) => [r.invoice_key, r.invoice]));
  }
}
