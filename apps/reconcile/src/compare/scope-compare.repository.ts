import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { incompleteHeldAt, pausedMs } from '../maintenance/maintenance-hold.rules';
import { incompleteCauses } from '../pull/incomplete-causes';
import { CompareParams } from './compare.model';

/** The subject of the one scope finding of its type per (taxNo, period). */
export const SCOPE_SUBJECT = 'reconciliation';

/** Reasons quoted in the evidence at most (the newest first), each cut to this many characters. */
const REASONS_KEPT = 3;
const REASON_CHARS = 300;

/** The incomplete runs of a scope since its last completed run, the run being compared included. */
interface IncompleteRun {
  id: string;
  began_at: Date;
  incomplete_reason: string | null;
}

/**
 * Findings about the scope itself. RECONCILIATION_INCOMPLETE: this run ends incomplete, and so did every run of the scope
 * since its last completed one, the first of them at least `incompleteAlertAfterMs` ago, or it is `incompleteNearFrom`
 * (N days before the filing deadline) or later. One per scope (subject SCOPE_SUBJECT), so re-running never duplicates it;
 * a run that completes does not raise it, which resolves it (resolution.ts: on a listed pull only). Failed runs (an
 * internal error, not the authority) neither count nor break the series. Maintenance of the authority or ours
 * (docs/maintenance.md): while a window holds (from its start to its end plus the grace) nothing is raised, and the
 * time the windows lasted does not count towards `incompleteAlertAfterMs`.
 */
@Injectable()
export class ScopeCompareRepository {
  async incomplete(m: EntityManager, p: CompareParams): Promise<void> {
    if (p.pullComplete || p.incompleteReason === null) return;
    if (incompleteHeldAt(p.maintenance ?? [], p.now)) return;
    const runs = (await m.query(
      `WITH last_complete AS (
         SELECT MAX(created_at) AS at FROM reconcile_runs WHERE tax_no = $2 AND period = $3 AND state = 'completed' AND id <> $1)
       SELECT id, CASE WHEN id = $1 THEN LEAST(COALESCE(started_at, created_at), $5::timestamptz)
                       ELSE COALESCE(started_at, created_at) END AS began_at, CASE WHEN id = $1 THEN $4 ELSE incomplete_reason END AS incomplete_reason
         FROM reconcile_runs
        WHERE tax_no = $2 AND period = $3
          AND (id = $1 OR state = 'incomplete')
          AND created_at > COALESCE((SELECT at FROM last_complete), '-infinity'::timestamptz)
        ORDER BY began_at DESC, id`,
      [p.runId, p.taxNo, p.period, p.incompleteReason, p.now],
    )) as IncompleteRun[];
    if (runs.length === 0) return;
    const since = runs.reduce((first, r) => (r.began_at < first ? r.began_at : first), runs[0].began_at);
    const counted = p.now.getTime() - since.getTime() - pausedMs(p.maintenance ?? [], since, p.now);
    const overdue = counted >= p.incompleteAlertAfterMs;
    const nearDeadline = p.now.getTime() >= p.incompleteNearFrom.getTime();
    if (!overdue && !nearDeadline) return;
    const reasons = [...new Set(runs.map((r) => r.incomplete_reason).filter((r): r is string => !!r))];
    const facts = {
      taxNo: p.taxNo,
      period: p.period,
      deadline: p.filingDeadline,
      since: since.toISOString(),
      runs: runs.length,
      causes: incompleteCauses(runs.map((r) => r.incomplete_reason)),
      reasons: reasons.slice(0, REASONS_KEPT).map((r) => r.slice(0, REASON_CHARS)),
      lastRunId: p.runId,
      alertAfterMs: p.incompleteAlertAfterMs,
      nearDeadlineFrom: p.incompleteNearFrom.toISOString(),
      why: overdue ? 'incomplete-too-long' : 'near-deadline',
    };
    await m.query(
      `INSERT INTO run_discrepancies (run_id, type, subject, invoice_key, device_id, facts)
       VALUES ($1, 'RECONCILIATION_INCOMPLETE', $2, NULL, NULL, $3::jsonb)`,
      [p.runId, SCOPE_SUBJECT, JSON.stringify(facts)],
    );
  }
}
