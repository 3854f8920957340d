import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { FindingChanged } from '@lib/contracts';
import { queryRows } from '@lib/persistence';

export interface StoredFinding {
  findingId: string;
  data: FindingChanged;
  escalationLevel: number;
  nextEscalationAt: Date | null;
}

interface FindingRow {
  finding_id: string;
  data: FindingChanged;
  escalation_level: number;
  next_escalation_at: Date | null;
}

const toStored = (r: FindingRow): StoredFinding => ({
  findingId: r.finding_id,
  data: r.data,
  escalationLevel: r.escalation_level,
  nextEscalationAt: r.next_escalation_at,
});

/** The notifier's copy of each finding's latest state: what messages describe, and the escalation clock. */
@Injectable()
export class FindingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a finding's latest state. An event older than the one stored (reordered delivery) does not
   * overwrite it; returns the stored finding as it was before, or undefined when new.
   */
  async upsert(
    manager: EntityManager,
    finding: FindingChanged,
    now: Date,
  ): Promise<{ previous?: StoredFinding; applied: boolean }> {
    const before = await queryRows<FindingRow>(
      manager,
      'SELECT * FROM findings WHERE finding_id = $1 FOR UPDATE',
      [finding.findingId],
    );
    const previous = before[0] ? toStored(before[0]) : undefined;
    if (previous && new Date(previous.data.updatedAt) > new Date(finding.updatedAt))
      return { previous, applied: false };
    await manager.query(
      `INSERT INTO findings (finding_id, type, severity, state, tax_no, branch_id, data, source_updated_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
       ON CONFLICT (finding_id) DO UPDATE SET type = $2, severity = $3, state = $4, tax_no = $5, branch_id = $6, data = $7,
                                              source_updated_at = $8, updated_at = $9`,
      [
        finding.findingId,
        finding.type,
        finding.severity,
        finding.state,
        finding.taxNo,
        finding.branchId,
        JSON.stringify(finding),
        finding.updatedAt,
        now,
      ],
    );
    return { previous, applied: true };
  }

  async setEscalation(
    manager: EntityManager,
    findingId: string,
    level: number,
    nextAt: Date | null,
  ): Promise<void> {
    await manager.query(
      'UPDATE findings SET escalation_level = $2, next_escalation_at = $3 WHERE finding_id = $1',
      [findingId, level, nextAt],
    );
  }

  async get(findingId: string): Promise<StoredFinding | undefined> {
    const rows = await queryRows<FindingRow>(
      this.dataSource.manager,
      'SELECT * FROM findings WHERE finding_id = $1',
      [findingId],
    );
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  async many(findingIds: string[]): Promise<Map<string, StoredFinding>> {
    const rows = await queryRows<FindingRow>(
      this.dataSource.manager,
      'SELECT * FROM findings WHERE finding_id = ANY($1)',
      [findingIds],
    );
    return new Map(rows.map((r) => [r.finding_id, toStored(r)]));
  }

  /** Findings whose escalation is due, locked (SKIP LOCKED) in the caller's transaction: one replica each. */
  async lockDueEscalations(manager: EntityManager, now: Date, limit: number): Promise<StoredFinding[]> {
    const rows = await queryRows<FindingRow>(
      manager,
      `SELECT * FROM findings WHERE next_escalation_at <= $1 ORDER BY next_escalation_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map(toStored);
  }
}
