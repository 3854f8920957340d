import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { queryRows, returningRows } from '@lib/persistence';
import type { Actor } from '@lib/platform';
import { PlatformName, Routing, StoredRouting } from './routing.model';

export interface RoutingDefaults {
  platforms: PlatformName[];
  allowFailover: boolean;
}

export const ROUTING_DEFAULTS = Symbol('ROUTING_DEFAULTS');

interface RoutingRow {
  tax_no: string;
  platforms: PlatformName[];
  allow_failover: boolean;
  updated_by: string;
  updated_by_kind: 'person' | 'service' | null;
  updated_by_subject: string | null;
  created_at: Date;
  updated_at: Date;
}

@Injectable()
export class RoutingRepository {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(ROUTING_DEFAULTS) private readonly defaults: RoutingDefaults,
  ) {}

  /** The routing of a taxpayer without a row: the configured default. */
  defaultFor(taxNo: string): Routing {
    return { taxNo, platforms: [...this.defaults.platforms], allowFailover: this.defaults.allowFailover };
  }

  async forTaxNos(
    taxNos: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, Routing>> {
    if (taxNos.length === 0) return new Map();
    const rows = await queryRows<RoutingRow>(manager, 'SELECT * FROM routing WHERE tax_no = ANY($1)', [
      taxNos,
    ]);
    return new Map(rows.map((r) => [r.tax_no, toRouting(r)]));
  }

  async get(taxNo: string, manager: EntityManager = this.dataSource.manager): Promise<StoredRouting> {
    const rows = await queryRows<RoutingRow>(manager, 'SELECT * FROM routing WHERE tax_no = $1', [taxNo]);
    if (rows[0]) return toStored(rows[0]);
    return {
      ...this.defaultFor(taxNo),
      updatedBy: null,
      createdAt: new Date(0),
      updatedAt: new Date(0),
      explicit: false,
    };
  }

  async list(afterTaxNo: string | undefined, limit: number): Promise<StoredRouting[]> {
    const rows = await queryRows<RoutingRow>(
      this.dataSource.manager,
      'SELECT * FROM routing WHERE ($1::text IS NULL OR tax_no > $1) ORDER BY tax_no LIMIT $2',
      [afterTaxNo ?? null, limit],
    );
    return rows.map(toStored);
  }

  async upsert(manager: EntityManager, routing: Routing, actor: Actor, now: Date): Promise<StoredRouting> {
    const rows = await queryRows<RoutingRow>(
      manager,
      `INSERT INTO routing (tax_no, platforms, allow_failover, updated_by, updated_by_kind, updated_by_subject, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
       ON CONFLICT (tax_no) DO UPDATE
         SET platforms = EXCLUDED.platforms, allow_failover = EXCLUDED.allow_failover,
             updated_by = EXCLUDED.updated_by, updated_by_kind = EXCLUDED.updated_by_kind,
             updated_by_subject = EXCLUDED.updated_by_subject, updated_at = EXCLUDED.updated_at
       RETURNING *`,
      [routing.taxNo, routing.platforms, routing.allowFailover, actor.name, actor.kind, actor.subject, now],
    );
    return toStored(rows[0]);
  }

  /** The removed routing, or undefined when there was none. */
  async remove(manager: EntityManager, taxNo: string): Promise<StoredRouting | undefined> {
    const rows = await returningRows<RoutingRow>(manager, 'DELETE FROM routing WHERE tax_no = $1 RETURNING *', [
      taxNo,
    ]);
    return rows[0] && toStored(rows[0]);
  }
}

function toRouting(row: RoutingRow): Routing {
  return { taxNo: row.tax_no, platforms: row.platforms, allowFailover: row.allow_failover };
}

function toStored(row: RoutingRow): StoredRouting {
  return {
    ...toRouting(row),
    // Rows written before actors were recorded came from the admin token.
    updatedBy: {
      kind: row.updated_by_kind ?? 'service',
      subject: row.updated_by_subject ?? row.updated_by,
      name: row.updated_by,
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    explicit: true,
  };
}
