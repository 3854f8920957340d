import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SyncResult } from '@lib/contracts';
import { queryRows } from '@lib/persistence';
import { SyncProblem } from './sync-problem.model';

interface ProblemRow {
  problem_id: string;
  data: SyncProblem['result'];
  resolved_at: Date | null;
  resolved_by: string | null;
}

/** Dead and rejected deliveries (table `sync_problems`): what sync alerts describe, and whether they still matter. */
@Injectable()
export class SyncProblemRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records a problem once (a redelivery finds it there). */
  async record(
    manager: EntityManager,
    problemId: string,
    result: SyncProblem['result'],
    now: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO sync_problems (problem_id, invoice_key, target, outcome, request_id, tax_no, data, result_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (problem_id) DO NOTHING`,
      [
        problemId,
        result.invoiceKey,
        result.target,
        result.outcome,
        result.requestId,
        result.taxNo,
        JSON.stringify(result),
        result.at,
        now,
      ],
    );
  }

  /**
   * The invoice reached the target: its open problems there (older than this result) are resolved, so alerts
   * still waiting are cancelled at send time. Without open problems this writes nothing (an index lookup).
   */
  async resolve(manager: EntityManager, result: SyncResult): Promise<void> {
    await manager.query(
      `UPDATE sync_problems SET resolved_at = $3, resolved_by = $4
        WHERE invoice_key = $1 AND target = $2 AND resolved_at IS NULL AND result_at <= $3`,
      [result.invoiceKey, result.target, result.at, `${result.outcome}:${result.requestId}`],
    );
  }

  async get(problemId: string): Promise<SyncProblem | undefined> {
    const [row] = await queryRows<ProblemRow>(
      this.dataSource.manager,
      'SELECT problem_id, data, resolved_at, resolved_by FROM sync_problems WHERE problem_id = $1',
      [problemId],
    );
    return row
      ? {
          problemId: row.problem_id,
          result: row.data,
          resolvedAt: row.resolved_at,
          resolvedBy: row.resolved_by,
        }
      : undefined;
  }
}
