import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { FindingSeverity } from '@lib/contracts';
import { NotificationChannel } from '@lib/notifications';
import { queryRows, returningRows } from '@lib/persistence';
import { AlertType } from './alert-types';
import { DeliveryMode, RoutingRule } from './routing.model';

interface RuleRow {
  id: string;
  finding_type: AlertType | null;
  min_severity: FindingSeverity;
  channels: NotificationChannel[];
  level: number;
  mode: DeliveryMode;
  priority: number;
  created_at: Date;
  updated_at: Date;
}

const toRule = (r: RuleRow): RoutingRule => ({
  id: r.id,
  findingType: r.finding_type,
  minSeverity: r.min_severity,
  channels: r.channels,
  level: r.level,
  mode: r.mode,
  priority: r.priority,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Routing rules (few: read whole). */
@Injectable()
export class RuleRepository {
  constructor(private readonly dataSource: DataSource) {}

  async all(manager: EntityManager = this.dataSource.manager): Promise<RoutingRule[]> {
    return (await queryRows<RuleRow>(manager, 'SELECT * FROM routing_rules ORDER BY priority DESC, id')).map(
      toRule,
    );
  }

  /** Inserts or replaces a rule, in the caller's transaction. */
  async save(manager: EntityManager, rule: RoutingRule): Promise<void> {
    await manager.query(
      `INSERT INTO routing_rules (id, finding_type, min_severity, channels, level, mode, priority, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (id) DO UPDATE SET finding_type = $2, min_severity = $3, channels = $4, level = $5, mode = $6,
                                      priority = $7, updated_at = $9`,
      [
        rule.id,
        rule.findingType,
        rule.minSeverity,
        rule.channels,
        rule.level,
        rule.mode,
        rule.priority,
        rule.createdAt,
        rule.updatedAt,
      ],
    );
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<RoutingRule | undefined> {
    const rows = await queryRows<RuleRow>(manager, 'SELECT * FROM routing_rules WHERE id = $1', [id]);
    return rows[0] ? toRule(rows[0]) : undefined;
  }

  /** Whether there was such a rule to delete. */
  async remove(manager: EntityManager, id: string): Promise<boolean> {
    const rows = await returningRows<{ id: string }>(
      manager,
      'DELETE FROM routing_rules WHERE id = $1 RETURNING id',
      [id],
    );
    return rows.length > 0;
  }
}
