import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { invoiceHoldsAt } from '../maintenance/maintenance-hold.rules';
import { CompareParams } from './compare.model';
import { contentDiffersSql, contentFieldRowsSql } from './content-fields.sql';

/**
 * The invoice comparisons, each one set-based INSERT … SELECT from the ledger projection and the run's
 * staged authority records into run_discrepancies (never row by row in Node). Facts go into `facts`.
 *
 * $1 run, $2 taxNo, $3 period, $4 now, $5 visibility lag (ms).
 */
const SCOPE = `
  ledger AS (SELECT * FROM ledger_invoices WHERE tax_no = $2 AND period = $3 AND source = 'ledger'),
  authority AS (SELECT * FROM authority_staged WHERE run_id = $1),
  conflicting AS (SELECT * FROM cmp_conflicting),
  lag AS (SELECT $4::timestamptz - ($5::bigint * interval '1 millisecond') AS since, $1::uuid AS run, $2::text AS tax_no, $3::text AS period)`;

/** Acceptance facts of one ledger invoice (any target: the platforms hand invoices to the authority). */
const ACCEPTANCE = `
  LEFT JOIN LATERAL (
    SELECT MIN(d.first_accepted_at) AS first_accepted_at, MAX(d.last_accepted_at) AS last_accepted_at,
           (ARRAY_AGG(COALESCE(d.relayed_via, d.target) ORDER BY d.first_accepted_at) FILTER (WHERE d.first_accepted_at IS NOT NULL))[1] AS accepted_via,
           MAX(d.outcome) FILTER (WHERE d.target = 'authority') AS authority_outcome,
           MAX(d.error_code) FILTER (WHERE d.target = 'authority') AS error_code,
           MAX(d.error_message) FILTER (WHERE d.target = 'authority') AS error_message,
           MAX(d.attempts) FILTER (WHERE d.target = 'authority') AS attempts
      FROM sync_deliveries d WHERE d.invoice_key = l.invoice_key) acc ON true`;

const EXPECTED_STATUS = `CASE l.state WHEN 'issued' THEN 'NORMAL' WHEN 'voided' THEN 'VOIDED' ELSE 'RED_REVERSED' END`;

/** The columns CONTENT_MISMATCH compares (both tables name them alike), from a table alias. */
const CONTENT_COLUMNS = (t: string) => ['invoice_type', 'issued_at', 'buyer_tax_no', 'buyer_name', 'line_count'].map((c) => `${t}.${c}`).join(', ');

const INVOICE_FACTS = `
  'invoiceType', l.invoice_type, 'code', l.invoice_code, 'number', l.invoice_number, 'branchId', l.branch_id,
  'deviceId', l.device_id, 'issuedAt', l.issued_at, 'ledgerState', l.state,
  'ledger', jsonb_build_object('amount', l.amount::text, 'taxAmount', l.tax_amount::text, 'totalAmount', l.total_amount::text)`;

@Injectable()
export class InvoiceCompareRepository {
  /**
   * The keys with conflicting contents on either side (staging and the ledger projection keep them: see
   * StageLatestRecords1765000001400), and the pairs that differ in money or status.
   */
  /** See CompareService.refreshStatistics. */
  async refreshStatistics(m: EntityManager): Promise<void> {
    await m.query('ANALYZE (SKIP_LOCKED) authority_staged, authority_staged_versions');
  }

  async prepare(m: EntityManager, p: CompareParams): Promise<void> {
    await m.query('DROP TABLE IF EXISTS cmp_conflicting');
    await m.query(
      `CREATE TEMP TABLE cmp_conflicting ON COMMIT DROP AS
         SELECT invoice_key FROM authority_staged_versions WHERE run_id = $1
         UNION
         SELECT k.invoice_key FROM ledger_conflicting_keys k JOIN ledger_invoices l USING (invoice_key)
          WHERE l.tax_no = $2 AND l.period = $3 AND l.source = 'ledger'`,
      [p.runId, p.taxNo, p.period],
    );
    await m.query('ANALYZE cmp_conflicting');
    await this.prepareChecked(m, p);
    // The scope's active CONTENT_MISMATCH findings: a pair that has one is compared again even when nothing differs
    // now (a field this run's channel cannot compare is carried, the others resolve by their absence).
    await m.query('DROP TABLE IF EXISTS cmp_content_open');
    await m.query(
      `CREATE TEMP TABLE cmp_content_open ON COMMIT DROP AS
         SELECT subject, evidence FROM findings
          WHERE tax_no = $1 AND period = $2 AND type = 'CONTENT_MISMATCH' AND state IN ('open', 'remediating', 'escalated')`,
      [p.taxNo, p.period],
    );
    await m.query('CREATE UNIQUE INDEX ON cmp_content_open (subject)');
    // One pass over both sides (a hash full join) keeps every key that is not simply equal on both: on one side only
    // (after a complete pull: the MISSING_* candidates) or on both with other money, status or content (or an open
    // content finding). The comparisons below read this small table instead of joining the whole period again, each
    // side as its table's row type.
    await m.query('DROP TABLE IF EXISTS cmp_diff, cmp_pairs');
    await m.query(
      `CREATE TEMP TABLE cmp_diff ON COMMIT DROP AS
         SELECT l.invoice_key AS l_key, a.invoice_key AS a_key, l.r AS l, a.r AS a
           FROM (SELECT x.invoice_key, x.amount, x.tax_amount, x.total_amount, x.state, ${CONTENT_COLUMNS('x')}, x AS r
                   FROM ledger_invoices x WHERE x.tax_no = $1 AND x.period = $2 AND x.source = 'ledger') l
           FULL JOIN (SELECT y.invoice_key, y.amount, y.tax_amount, y.total_amount, y.status, ${CONTENT_COLUMNS('y')}, y AS r
                        FROM authority_staged y WHERE y.run_id = $3) a ON a.invoice_key = l.invoice_key
          WHERE CASE WHEN l.invoice_key IS NULL OR a.invoice_key IS NULL THEN $4::boolean
                     ELSE (l.amount, l.tax_amount, l.total_amount) IS DISTINCT FROM (a.amount, a.tax_amount, a.total_amount)
                          OR ${EXPECTED_STATUS} <> a.status
                          OR ${contentDiffersSql((c) => `l.${c}`, (c) => `a.${c}`)}
                          OR l.invoice_key IN (SELECT subject FROM cmp_content_open) END`,
      [p.taxNo, p.period, p.runId, p.pullComplete],
    );
    await m.query(
      `CREATE TEMP TABLE cmp_pairs ON COMMIT DROP AS
         SELECT (d.l).*, (d.a).amount AS a_amount, (d.a).tax_amount AS a_tax_amount, (d.a).total_amount AS a_total_amount,
                (d.a).status AS a_status, (d.a).channel AS a_channel, (d.a).observed_at AS a_observed_at,
                (d.a).invoice_type AS a_invoice_type, (d.a).issued_at AS a_issued_at, (d.a).buyer_tax_no AS a_buyer_tax_no,
                (d.a).buyer_name AS a_buyer_name, (d.a).line_count AS a_line_count,
                CASE (d.l).state WHEN 'issued' THEN 'NORMAL' WHEN 'voided' THEN 'VOIDED' ELSE 'RED_REVERSED' END AS expected_status
           FROM cmp_diff d
          WHERE d.l_key IS NOT NULL AND d.a_key IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM cmp_conflicting c WHERE c.invoice_key = d.l_key)`,
    );
    await this.prepareSettled(m);
  }

  /**
   * The pairs a completed red-letter correction settled (docs/corrections.md, "After the correction"): the original's
   * latest correction is complete (its red invoice is at the authority) and both sides still show what it corrected,
   * the amounts of its finding's last evidence (ledger and authority), with the authority's copy reversed as the red
   * invoice left it (RED_REVERSED once the correction reversed all of it). Their money and status differences are the
   * ones the correction settled, not new ones; any other difference (either side changed since, or the authority's
   * copy is not reversed) is compared as usual and reopens the finding.
   */
  private async prepareSettled(m: EntityManager): Promise<void> {
    await m.query('DROP TABLE IF EXISTS cmp_settled');
    await m.query(
      `CREATE TEMP TABLE cmp_settled ON COMMIT DROP AS
         SELECT p.invoice_key
           FROM cmp_pairs p
           JOIN LATERAL (
             SELECT c.status, c.red_invoice_key, c.red_amount + c.red_tax_amount AS red_total, f.evidence AS e
               FROM correction_requests c JOIN findings f ON f.id = c.finding_id
              WHERE c.invoice_key = p.invoice_key AND c.tax_no = p.tax_no
              ORDER BY c.created_at DESC, c.attempt DESC LIMIT 1) c ON true
          WHERE c.status = 'closed' AND c.red_invoice_key IS NOT NULL AND p.state <> 'voided'
            AND (p.amount, p.tax_amount, p.total_amount) = ((c.e #>> '{ledger,amount}')::numeric,
                 (c.e #>> '{ledger,taxAmount}')::numeric, (c.e #>> '{ledger,totalAmount}')::numeric)
            AND (p.a_amount, p.a_tax_amount, p.a_total_amount) =
                (COALESCE(c.e #>> '{authority,amount}', c.e #>> '{ledger,amount}')::numeric,
                 COALESCE(c.e #>> '{authority,taxAmount}', c.e #>> '{ledger,taxAmount}')::numeric,
                 COALESCE(c.e #>> '{authority,totalAmount}', c.e #>> '{ledger,totalAmount}')::numeric)
            AND CASE WHEN c.red_total IS NULL THEN p.a_status IN ('RED_REVERSED', p.expected_status)
                     WHEN c.red_total >= p.a_total_amount THEN p.a_status = 'RED_REVERSED'
                     ELSE p.a_status = p.expected_status END`,
    );
    await m.query('CREATE UNIQUE INDEX ON cmp_settled (invoice_key)');
  }

  /**
   * The (type, subject) pairs a per-invoice run actually evaluated (`cmp_checked`, transaction-local, empty for
   * any other coverage), so that auto-resolution can be limited to them: MISSING_IN_AUTHORITY for every invoice
   * with a conclusive answer (found, visible, absent, pending, differs); AMOUNT_MISMATCH, STATUS_MISMATCH and
   * CONTENT_MISMATCH only where the authority's record was read (found) or is known to be absent. `visible` (status without
   * content, not staged) and `differs` (查验 03, no numbers) do not show that a mismatch is gone.
   */
  private async prepareChecked(m: EntityManager, p: CompareParams): Promise<void> {
    await m.query('DROP TABLE IF EXISTS cmp_checked');
    await m.query(
      `CREATE TEMP TABLE cmp_checked ON COMMIT DROP AS
         SELECT t.type, c.invoice_key AS subject
           FROM authority_checks c
           CROSS JOIN LATERAL (VALUES ('MISSING_IN_AUTHORITY', true),
                                      ('AMOUNT_MISMATCH', c.outcome IN ('found', 'absent')),
                                      ('STATUS_MISMATCH', c.outcome IN ('found', 'absent')),
                                      ('CONTENT_MISMATCH', c.outcome IN ('found', 'absent'))) AS t(type, evaluated)
          WHERE c.run_id = $1 AND $2::boolean AND c.outcome <> 'unchecked' AND t.evaluated`,
      [p.runId, p.coverage === 'per-invoice'],
    );
    await m.query('CREATE UNIQUE INDEX ON cmp_checked (subject, type)');
    await m.query('ANALYZE cmp_checked');
  }

  /** Ledger invoices the complete pull did not return: pending within the lag, otherwise classified by cause. */
  async missingInAuthority(m: EntityManager, p: CompareParams): Promise<void> {
    await this.missing(
      m,
      p,
      `SELECT l.*, acc.* FROM (SELECT (d.l).* FROM cmp_diff d WHERE d.a_key IS NULL) l ${ACCEPTANCE}`,
      '',
    );
  }

  /**
   * A per-invoice pull: only the ledger invoices this run's check found absent (查验 02, an upload query's
   * NOT_FOUND) or still pending at the authority (an upload query's PENDING), classified like the complete
   * pull's (the same grace); the check's channel, answer and time go into the facts. An unchecked invoice
   * proves nothing and is not a candidate.
   */
  async missingInAuthorityChecked(m: EntityManager, p: CompareParams): Promise<void> {
    await this.missing(
      m,
      p,
      `SELECT l.*, acc.*, ck.channel AS check_channel, ck.outcome AS check_outcome, ck.detail AS check_detail, ck.observed_at AS checked_at
         FROM ledger l JOIN authority_checks ck ON ck.run_id = $1 AND ck.invoice_key = l.invoice_key AND ck.outcome IN ('absent', 'pending')
         ${ACCEPTANCE}
        WHERE NOT EXISTS (SELECT 1 FROM authority a WHERE a.invoice_key = l.invoice_key)`,
      `, 'coverage', 'per-invoice', 'channel', l.check_channel, 'checkOutcome', l.check_outcome, 'checkDetail', l.check_detail,
         'checkedAt', l.checked_at`,
    );
  }

  private async missing(m: EntityManager, p: CompareParams, candidates: string, extraFacts: string): Promise<void> {
    await m.query(
      `WITH ${SCOPE},
       candidates AS (${candidates}),
       classified AS (
         SELECT c.*, CASE
           WHEN c.last_accepted_at IS NOT NULL AND c.last_accepted_at > (SELECT since FROM lag) THEN 'PENDING_VISIBILITY'
           WHEN c.authority_outcome IS DISTINCT FROM 'rejected' AND EXISTS (
                  SELECT 1 FROM jsonb_to_recordset($6::jsonb) AS h(target text, "startsAt" timestamptz)
                   WHERE (h.target IN ('authority', 'product') OR h.target = c.accepted_via)
                     AND COALESCE(c.last_accepted_at, GREATEST(c.issued_at, COALESCE(c.received_at, c.issued_at)))
                         + ($5::bigint * interval '1 millisecond') >= h."startsAt") THEN 'PENDING_MAINTENANCE'
           WHEN c.last_accepted_at IS NOT NULL THEN 'NOT_VISIBLE'
           WHEN c.authority_outcome = 'rejected' THEN 'DELIVERY_REJECTED'
           WHEN c.authority_outcome = 'dead' THEN 'DELIVERY_FAILED'
           WHEN GREATEST(c.issued_at, COALESCE(c.received_at, c.issued_at)) > (SELECT since FROM lag) THEN 'PENDING_DELIVERY'
           ELSE 'NOT_DELIVERED' END AS cause
         FROM candidates c)
       INSERT INTO run_discrepancies (run_id, type, subject, invoice_key, facts)
       SELECT $1, CASE WHEN l.cause LIKE 'PENDING%' THEN 'PENDING_VISIBILITY' ELSE 'MISSING_IN_AUTHORITY' END, l.invoice_key, l.invoice_key,
              jsonb_build_object(${INVOICE_FACTS}, 'cause', l.cause, 'firstAcceptedAt', l.first_accepted_at,
                'lastAcceptedAt', l.last_accepted_at, 'acceptedVia', l.accepted_via, 'syncOutcome', l.authority_outcome,
                'syncErrorCode', l.error_code, 'syncErrorMessage', l.error_message, 'syncAttempts', l.attempts${extraFacts})
         FROM classified l`,
      // $6: the maintenance windows holding now; an invoice due visible after one began waits (docs/maintenance.md)
      [p.runId, p.taxNo, p.period, p.now, p.visibilityLagMs, JSON.stringify(invoiceHoldsAt(p.maintenance ?? [], p.now))],
    );
  }

  /**
   * Authority records with no ledger invoice of the same key (any period: a date on the boundary is not "missing"), except
   * the red invoice issued with one of our own corrections' forms (the form's 红字发票号码, which the tracker records as the
   * correction's `red_invoice_key`, as the authority writes keys: code and number without our dash): the correction
   * accounts for it (docs/corrections.md, "After the correction").
   */
  async missingInLedger(m: EntityManager, p: CompareParams): Promise<void> {
    await m.query(
      `WITH ${SCOPE}
       INSERT INTO run_discrepancies (run_id, type, subject, invoice_key, facts)
       SELECT $1, 'MISSING_IN_LEDGER', a.invoice_key, a.invoice_key,
              jsonb_build_object('invoiceType', a.invoice_type, 'code', a.invoice_code, 'number', a.invoice_number,
                'issuedAt', a.issued_at, 'channel', a.channel, 'observedAt', a.observed_at,
                'authority', jsonb_build_object('amount', a.amount::text, 'taxAmount', a.tax_amount::text,
                  'totalAmount', a.total_amount::text, 'status', a.status))
         FROM (SELECT (d.a).* FROM cmp_diff d WHERE d.l_key IS NULL) a
        WHERE NOT EXISTS (SELECT 1 FROM ledger_invoices l WHERE l.invoice_key = a.invoice_key AND (l.source = 'ledger' OR l.confirmed_at IS NOT NULL))
          AND NOT EXISTS (SELECT 1 FROM correction_requests c
                           WHERE c.tax_no = $2 AND replace(c.red_invoice_key, '-', '') = replace(a.invoice_key, '-', ''))`,
      [p.runId, p.taxNo, p.period, p.now, p.visibilityLagMs],
    );
  }

  /**
   * Same key on both sides, different money (to the fen); conflicting duplicates are reported as such instead, and a
   * pair a completed correction settled is not reported again (cmp_settled).
   */
  async amountMismatch(m: EntityManager, p: CompareParams): Promise<void> {
    await m.query(
      `INSERT INTO run_discrepancies (run_id, type, subject, invoice_key, facts)
       SELECT $1, 'AMOUNT_MISMATCH', l.invoice_key, l.invoice_key,
              jsonb_build_object(${INVOICE_FACTS}, 'channel', l.a_channel, 'observedAt', l.a_observed_at,
                'authority', jsonb_build_object('amount', l.a_amount::text, 'taxAmount', l.a_tax_amount::text, 'totalAmount', l.a_total_amount::text))
         FROM cmp_pairs l
        WHERE (l.amount, l.tax_amount, l.total_amount) IS DISTINCT FROM (l.a_amount, l.a_tax_amount, l.a_total_amount)
          AND NOT EXISTS (SELECT 1 FROM cmp_settled s WHERE s.invoice_key = l.invoice_key)`,
      [p.runId],
    );
  }

  /**
   * Same key on both sides, other content besides money and status: one discrepancy per invoice listing every differing
   * field (`fields`: [{field, ours, authority}], libs/contracts content-fields.ts), plus the fields of its open finding
   * this run's channel cannot compare (`carried`: a list has no lines), so a finding resolves only once a run that can
   * compare each of its fields sees them agree. Conflicting duplicates are reported as such instead (not in cmp_pairs).
   */
  async contentMismatch(m: EntityManager, p: CompareParams): Promise<void> {
    await m.query(
      `INSERT INTO run_discrepancies (run_id, type, subject, invoice_key, facts)
       SELECT $1, 'CONTENT_MISMATCH', l.invoice_key, l.invoice_key,
              jsonb_build_object(${INVOICE_FACTS}, 'channel', l.a_channel, 'observedAt', l.a_observed_at, 'fields', d.fields)
         FROM cmp_pairs l
         LEFT JOIN cmp_content_open o ON o.subject = l.invoice_key
         CROSS JOIN LATERAL (
           SELECT jsonb_agg(x.f ORDER BY x.ord) AS fields
             FROM (${contentFieldRowsSql((c) => `l.${c}`, (c) => `l.a_${c}`, 'o.evidence')}) x) d
        WHERE d.fields IS NOT NULL`,
      [p.runId],
    );
  }

  /**
   * Voided or red-reversed on one side only (not a pair a completed correction settled). A ledger change younger than the lag (or whose delivery was
   * accepted within it) may not be visible yet: pending, not a mismatch.
   */
  async statusMismatch(m: EntityManager, p: CompareParams): Promise<void> {
    await m.query(
      `WITH lag AS (SELECT $2::timestamptz - ($3::bigint * interval '1 millisecond') AS since),
       compared AS (
         SELECT x.*, GREATEST(x.updated_at,
                  (SELECT MAX(d.last_accepted_at) FROM sync_deliveries d WHERE d.invoice_key = x.invoice_key),
                  (SELECT MAX(d.last_accepted_at) FROM ledger_invoices r JOIN sync_deliveries d ON d.invoice_key = r.invoice_key
                    WHERE r.original_key = x.invoice_key)) AS changed_at
           FROM cmp_pairs x WHERE x.expected_status <> x.a_status
            AND NOT EXISTS (SELECT 1 FROM cmp_settled s WHERE s.invoice_key = x.invoice_key))
       INSERT INTO run_discrepancies (run_id, type, subject, invoice_key, facts)
       SELECT $1, CASE WHEN l.changed_at > (SELECT since FROM lag) THEN 'PENDING_VISIBILITY' ELSE 'STATUS_MISMATCH' END,
              l.invoice_key, l.invoice_key,
              jsonb_build_object(${INVOICE_FACTS}, 'channel', l.a_channel, 'observedAt', l.a_observed_at,
                'authorityStatus', l.a_status, 'expectedStatus', l.expected_status, 'changedAt', l.changed_at)
         FROM compared l
       ON CONFLICT DO NOTHING`,
      [p.runId, p.now, p.visibilityLagMs],
    );
  }

  /** One key, several contents: in our ledger (two different issues) or in the authority's pull. */
  async duplicates(m: EntityManager, p: CompareParams): Promise<void> {
    await m.query(
      `WITH ${SCOPE},
       dup AS MATERIALIZED (SELECT invoice_key FROM conflicting),
       versions AS (
         SELECT v.invoice_key, 'ledger' AS side, v.amount, v.tax_amount, v.total_amount, v.seen_at AS at
           FROM ledger_invoice_versions v JOIN dup USING (invoice_key)
         UNION ALL
         SELECT s.invoice_key, 'authority', s.amount, s.tax_amount, s.total_amount, s.observed_at
           FROM authority_staged_versions s JOIN dup USING (invoice_key) WHERE s.run_id = $1),
       grouped AS (
         SELECT invoice_key, jsonb_agg(jsonb_build_object('side', side, 'amount', amount::text, 'taxAmount', tax_amount::text,
                  'totalAmount', total_amount::text, 'at', at) ORDER BY side DESC, at) AS versions
           FROM versions GROUP BY invoice_key)
       INSERT INTO run_discrepancies (run_id, type, subject, invoice_key, facts)
       SELECT $1, 'DUPLICATE_INVOICE', g.invoice_key, g.invoice_key,
              jsonb_build_object(
                'invoiceType', COALESCE(l.invoice_type, a.invoice_type), 'code', COALESCE(l.invoice_code, a.invoice_code),
                'number', COALESCE(l.invoice_number, a.invoice_number), 'branchId', l.branch_id, 'deviceId', l.device_id,
                'versions', g.versions)
         FROM grouped g
         LEFT JOIN ledger l USING (invoice_key)
         LEFT JOIN authority_staged a ON a.run_id = $1 AND a.invoice_key = g.invoice_key`,
      [p.runId, p.taxNo, p.period, p.now, p.visibilityLagMs],
    );
  }
}
