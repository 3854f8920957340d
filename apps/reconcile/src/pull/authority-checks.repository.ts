import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Observation } from './invoice-prober';

export interface CheckTally {
  outcome: string;
  channel: string | null;
  cause: string | null;
  n: number;
  firstKey: string;
}

/** The per-invoice pull's answers per invoice (authority_checks), in bulk. */
@Injectable()
export class AuthorityChecksRepository {
  async record(m: EntityManager, runId: string, items: { invoiceKey: string; observation: Observation }[], observedAt: Date): Promise<void> {
    if (items.length === 0) return;
    const o = items.map((i) => i.observation);
    await m.query(
      `INSERT INTO authority_checks (run_id, invoice_key, channel, outcome, status, cause, detail, observed_at)
       SELECT $1, k, c, o, s, x, d, $2 FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS r(k, c, o, s, x, d)
       ON CONFLICT (run_id, invoice_key) DO UPDATE SET channel = EXCLUDED.channel, outcome = EXCLUDED.outcome, status = EXCLUDED.status,
         cause = EXCLUDED.cause, detail = EXCLUDED.detail, observed_at = EXCLUDED.observed_at`,
      [
        runId, observedAt, items.map((i) => i.invoiceKey), o.map((x) => x.channel), o.map((x) => x.outcome),
        o.map((x) => (x.outcome === 'found' ? x.record.status : x.outcome === 'visible' ? x.status : null)),
        o.map((x) => (x.outcome === 'unchecked' ? x.cause : null)), o.map((x) => x.detail),
      ],
    );
  }

  async tally(m: EntityManager, runId: string): Promise<CheckTally[]> {
    const rows = (await m.query(
      `SELECT outcome, channel, cause, COUNT(*)::int AS n, MIN(invoice_key) AS first_key FROM authority_checks WHERE run_id = $1
        GROUP BY outcome, channel, cause ORDER BY outcome, channel, cause`,
      [runId],
    )) as { outcome: string; channel: string | null; cause: string | null; n: number; first_key: string }[];
    return rows.map((r) => ({ outcome: r.outcome, channel: r.channel, cause: r.cause, n: r.n, firstKey: r.first_key }));
  }

  async clear(m: EntityManager, runId: string): Promise<void> {
    await m.query('DELETE FROM authority_checks WHERE run_id = $1', [runId]);
  }
}
