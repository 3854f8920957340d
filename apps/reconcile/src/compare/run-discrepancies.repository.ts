import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** A run's discrepancies as a whole: cleared before the comparison writes them, thinned, and counted by type. */
@Injectable()
export class RunDiscrepanciesRepository {
  /** Removes what an earlier attempt of the run wrote. */
  async clear(m: EntityManager, runId: string): Promise<void> {
    await m.query('DELETE FROM run_discrepancies WHERE run_id = $1', [runId]);
  }

  /** Removes the run's discrepancies of these types. */
  async dropTypes(m: EntityManager, runId: string, types: readonly string[]): Promise<void> {
    if (types.length === 0) return;
    await m.query('DELETE FROM run_discrepancies WHERE run_id = $1 AND type = ANY($2::text[])', [
      runId,
      types,
    ]);
  }

  async countByType(m: EntityManager, runId: string): Promise<Record<string, number>> {
    const rows = (await m.query(
      'SELECT type, COUNT(*)::int AS n FROM run_discrepancies WHERE run_id = $1 GROUP BY type',
      [runId],
    )) as {
      type: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.type, r.n]));
  }
}
