import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthorityListRecord } from './authority-list.port';
import { Observation } from './invoice-prober';
import { validated } from './staging.repository';

export interface CheckTally {
  outcome: string;
  channel: string | null;
  cause: string | null;
  n: number;
  /** Of `n`, the answers reused from an earlier run. */
  reused: number;
  firstKey: string;
}

/** One invoice's answer as a run records it. */
export interface CheckAnswer {
  invoiceKey: string;
  observation: Observation;
  /** The ledger version the answer was asked for (LEDGER_VERSION_SQL): the answer is reused only while it is unchanged. */
  ledgerVersion: string;
  /** When the channel answered; null: now (asked by this run). A reused answer keeps its own. */
  observedAt: Date | null;
  /** The run that asked, when this run reuses its answer instead of asking again; null: asked by this run. */
  reusedFromRun: string | null;
}

/** Which earlier answers may stand for a new one (docs/reconcile.md, "Sparing the 查验 quota"). */
export interface ReusePolicy {
  /** Answers younger than this may be reused; 0: never. */
  maxAgeMs: number;
  /** The authority's visibility lag: an absent or pending answer is never reused across it. */
  visibilityLagMs: number;
}

/** The per-invoice pull's answers per invoice (authority_checks), in bulk. */
@Injectable()
export class AuthorityChecksRepository {
  async record(m: EntityManager, runId: string, items: CheckAnswer[], now: Date): Promise<void> {
    if (items.length === 0) return;
    const o = items.map((i) => i.observation);
    await m.query(
      `INSERT INTO authority_checks (run_id, invoice_key, channel, outcome, status, cause, detail, observed_at, ledger_version, reused_from_run)
       SELECT $1, k, c, o, s, x, d, COALESCE(at, $2), v, f
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::uuid[])
           AS r(k, c, o, s, x, d, at, v, f)
       ON CONFLICT (run_id, invoice_key) DO UPDATE SET channel = EXCLUDED.channel, outcome = EXCLUDED.outcome, status = EXCLUDED.status,
         cause = EXCLUDED.cause, detail = EXCLUDED.detail, observed_at = EXCLUDED.observed_at, ledger_version = EXCLUDED.ledger_version,
         reused_from_run = EXCLUDED.reused_from_run`,
      [
        runId, now, items.map((i) => i.invoiceKey), o.map((x) => x.channel), o.map((x) => x.outcome),
        o.map((x) => (x.outcome === 'found' ? x.record.status : x.outcome === 'visible' ? x.status : null)),
        o.map((x) => (x.outcome === 'unchecked' ? x.cause : null)), o.map((x) => x.detail), items.map((i) => i.observedAt),
        items.map((i) => i.ledgerVersion), items.map((i) => i.reusedFromRun),
      ],
    );
  }

  /**
   * For each invoice, the latest conclusive answer of an earlier run (by when the authority gave it; unchecked
   * ones are no answer) when it may stand for this run's: asked for the same ledger version (nothing changed since
   * that the answer depends on: content, void, red invoices, acceptances), younger than `maxAgeMs`, and, for a found
   * record, still staged with its run. `absent` and `pending` can change by themselves once the invoice becomes
   * visible: younger than the visibility lag as well, and not reused once the lag of an acceptance that was still
   * within it when they were given has passed. Reused answers keep their channel, time and the run that asked.
   */
  async reusable(m: EntityManager, runId: string, invoices: { invoiceKey: string; ledgerVersion: string }[], now: Date, policy: ReusePolicy): Promise<CheckAnswer[]> {
    if (policy.maxAgeMs <= 0 || invoices.length === 0) return [];
    const rows = (await m.query(
      `WITH cur AS (SELECT * FROM unnest($2::text[], $3::text[]) AS x(k, v)),
       latest AS (
         SELECT DISTINCT ON (c.invoice_key) c.*
           FROM cur JOIN authority_checks c ON c.invoice_key = cur.k
          WHERE c.run_id <> $1 AND c.outcome <> 'unchecked' AND c.observed_at <= $4
          ORDER BY c.invoice_key, c.observed_at DESC)
       SELECT c.invoice_key, c.channel, c.outcome, c.status, c.detail, c.observed_at, COALESCE(c.reused_from_run, c.run_id) AS asked_in,
              s.invoice_type, s.invoice_code, s.invoice_number, s.issued_at, s.amount::text AS amount, s.tax_amount::text AS tax_amount,
              s.total_amount::text AS total_amount, s.status AS record_status, s.buyer_tax_no, s.buyer_name, s.line_count
         FROM latest c JOIN cur ON cur.k = c.invoice_key
         LEFT JOIN LATERAL (SELECT * FROM authority_staged s WHERE s.run_id = c.run_id AND s.invoice_key = c.invoice_key
                             ORDER BY s.observed_at DESC, s.page_no DESC LIMIT 1) s ON c.outcome = 'found'
        WHERE c.ledger_version = cur.v
          AND c.observed_at > $4::timestamptz - $5::bigint * interval '1 millisecond'
          AND (c.outcome <> 'found' OR s.invoice_key IS NOT NULL)
          AND (c.outcome NOT IN ('absent', 'pending') OR (
                c.observed_at > $4::timestamptz - LEAST($5::bigint, $6::bigint) * interval '1 millisecond'
                AND NOT EXISTS (SELECT 1 FROM sync_deliveries d WHERE d.invoice_key = c.invoice_key
                                  AND c.observed_at < d.last_accepted_at + $6::bigint * interval '1 millisecond'
                                  AND d.last_accepted_at + $6::bigint * interval '1 millisecond' <= $4)))`,
      [runId, invoices.map((i) => i.invoiceKey), invoices.map((i) => i.ledgerVersion), now, policy.maxAgeMs, policy.visibilityLagMs],
    )) as ReusableRow[];
    const versions = new Map(invoices.map((i) => [i.invoiceKey, i.ledgerVersion]));
    return rows.map((r) => ({
      invoiceKey: r.invoice_key,
      observation: observationOf(r),
      ledgerVersion: versions.get(r.invoice_key)!,
      observedAt: new Date(r.observed_at),
      reusedFromRun: r.asked_in,
    }));
  }

  /**
   * The records of reused `found` answers, staged again for this run's comparison with the channel and time of the
   * observation and the run that made it (`reused_from_run`), so the timeline can tell one observation from two.
   */
  async stageReused(m: EntityManager, runId: string, pageNo: number, answers: CheckAnswer[]): Promise<number> {
    const found = answers.flatMap((a) =>
      a.observation.outcome === 'found' && a.reusedFromRun && a.observedAt
        ? [{ channel: a.observation.channel, record: validated(a.observation.record), observedAt: a.observedAt, askedIn: a.reusedFromRun }]
        : [],
    );
    if (found.length === 0) return 0;
    const r = found.map((f) => f.record);
    await m.query(
      `INSERT INTO authority_staged (run_id, page_no, channel, invoice_key, invoice_type, invoice_code, invoice_number, issued_at,
         amount, tax_amount, total_amount, status, observed_at, reused_from_run, buyer_tax_no, buyer_name, line_count)
       SELECT $1, $2, ch, k, t, c, n, i, a, x, tot, s, at, f, bt, bn, lc
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::numeric[], $10::numeric[], $11::numeric[],
                     $12::text[], $13::timestamptz[], $14::uuid[], $15::text[], $16::text[], $17::int[]) AS r(ch, k, t, c, n, i, a, x, tot, s, at, f, bt, bn, lc)
       ON CONFLICT DO NOTHING`,
      [
        runId, pageNo, found.map((f) => f.channel), r.map((x) => x.invoiceKey), r.map((x) => x.type), r.map((x) => x.code), r.map((x) => x.number),
        r.map((x) => x.issuedAt), r.map((x) => x.amount), r.map((x) => x.taxAmount), r.map((x) => x.totalAmount), r.map((x) => x.status),
        found.map((f) => f.observedAt), found.map((f) => f.askedIn),
        r.map((x) => x.buyerTaxNo ?? null), r.map((x) => x.buyerName ?? null), r.map((x) => x.lineCount ?? null),
      ],
    );
    return found.length;
  }

  async tally(m: EntityManager, runId: string): Promise<CheckTally[]> {
    const rows = (await m.query(
      `SELECT outcome, channel, cause, COUNT(*)::int AS n, (COUNT(*) FILTER (WHERE reused_from_run IS NOT NULL))::int AS reused,
              MIN(invoice_key) AS first_key
         FROM authority_checks WHERE run_id = $1
        GROUP BY outcome, channel, cause ORDER BY outcome, channel, cause`,
      [runId],
    )) as { outcome: string; channel: string | null; cause: string | null; n: number; reused: number; first_key: string }[];
    return rows.map((r) => ({ outcome: r.outcome, channel: r.channel, cause: r.cause, n: r.n, reused: r.reused, firstKey: r.first_key }));
  }

  async clear(m: EntityManager, runId: string): Promise<void> {
    await m.query('DELETE FROM authority_checks WHERE run_id = $1', [runId]);
  }
}

interface ReusableRow {
  invoice_key: string;
  channel: string;
  outcome: 'found' | 'visible' | 'absent' | 'pending' | 'differs';
  status: AuthorityListRecord['status'] | null;
  detail: string | null;
  observed_at: string | Date;
  asked_in: string;
  invoice_type: string | null;
  invoice_code: string | null;
  invoice_number: string | null;
  issued_at: string | Date | null;
  amount: string | null;
  tax_amount: string | null;
  total_amount: string | null;
  record_status: AuthorityListRecord['status'] | null;
  buyer_tax_no: string | null;
  buyer_name: string | null;
  line_count: number | null;
}

function observationOf(r: ReusableRow): Observation {
  const detail = r.detail ?? '';
  switch (r.outcome) {
    case 'found':
      return {
        outcome: 'found',
        channel: r.channel,
        detail: null,
        record: {
          invoiceKey: r.invoice_key,
          type: String(r.invoice_type),
          code: r.invoice_code,
          number: String(r.invoice_number),
          issuedAt: new Date(r.issued_at!).toISOString(),
          amount: String(r.amount),
          taxAmount: String(r.tax_amount),
          totalAmount: String(r.total_amount),
          status: r.record_status!,
          buyerTaxNo: r.buyer_tax_no,
          buyerName: r.buyer_name,
          lineCount: r.line_count,
        },
      };
    case 'visible':
      return { outcome: 'visible', channel: r.channel, status: r.status, detail };
    default:
      return { outcome: r.outcome, channel: r.channel, detail };
  }
}
