import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CompareParams } from './compare.model';

/**
 * Devices of the scope: the registry's devices of the taxpayer that are active and began (activatedOn, else their
 * registration) before the period's end; and those that issued, cleared or reported in the period, or were seen before its
 * end and are still reporting after its start (a quiet device must clear too; a device first seen later need not); minus
 * the devices the registry says are suspended or retired (they get no device finding). The registry's branch wins.
 * Given the placeholders of tax number, period, period start and period end, so that the clear-card cross-check
 * (device-status/clear-card-checks.repository.ts) asks about exactly the devices compared here; the compliance board
 * (device-status/device-compliance.repository.ts) applies the same rule.
 */
export function scopeDevicesCte(
  taxNo: string,
  period: string,
  periodStart: string,
  periodEnd: string,
): string {
  return `
  devices AS (
    SELECT d.device_id, COALESCE(MAX(reg.branch_id), MAX(d.branch_id)) AS branch_id FROM (
      SELECT device_id, branch_id FROM ledger_invoices WHERE tax_no = ${taxNo} AND period = ${period} AND source = 'ledger' AND device_id IS NOT NULL
      UNION ALL SELECT device_id, branch_id FROM device_clear_cards WHERE tax_no = ${taxNo} AND period = ${period}
      UNION ALL SELECT device_id, branch_id FROM device_reports WHERE tax_no = ${taxNo} AND period = ${period}
      UNION ALL SELECT device_id, branch_id FROM device_report_periods WHERE tax_no = ${taxNo} AND period = ${period}
      UNION ALL SELECT device_id, branch_id FROM device_monitors
                 WHERE tax_no = ${taxNo} AND at >= ${periodStart}::timestamptz AND first_seen_at < ${periodEnd}::timestamptz
      UNION ALL SELECT device_id, branch_id FROM device_registry
                 WHERE tax_no = ${taxNo} AND status = 'active' AND began_at < ${periodEnd}::timestamptz
    ) d
    LEFT JOIN device_registry reg ON reg.device_id = d.device_id AND reg.tax_no = ${taxNo}
    WHERE ${notStopped('d.device_id')}
    GROUP BY d.device_id)`;
}

/** The registry does not say the device is suspended or retired (unknown to the registry: judged by its events). */
export const notStopped = (deviceId: string): string =>
  `NOT EXISTS (SELECT 1 FROM device_registry x WHERE x.device_id = ${deviceId} AND x.status IN ('suspended', 'retired'))`;

const DEVICES = scopeDevicesCte('$2', '$3', '$4', '$8');

/**
 * How a clerk knows the device, flat in every device finding's evidence: its registered name and its 机器编号 as
 * projected from its events (device_numbers), null when unknown. Readers render the finding from them
 * (explainFinding), so the internal id shows only when nothing else is known.
 */
const LABEL = (name: string, deviceNo: string) => `'deviceName', ${name}, 'deviceNo', ${deviceNo}`;

/**
 * The authority's clear-card answer for the run (run_clear_card_checks, asked before the comparison) next to the
 * device's own report: `agree`, `DEVICE_ONLY` (the device says cleared, the authority does not) or `AUTHORITY_ONLY`
 * (the authority says cleared, the device does not); null when the authority was not asked or could not answer.
 * The same rule as device-status/clear-card-agreement.rules.ts, on the rows as they are when compared.
 */
const AGREEMENT = `CASE WHEN k.status IS NULL THEN NULL
                        WHEN (c.succeeded_at IS NOT NULL) = (k.status = 'CLEARED') THEN 'agree'
                        WHEN c.succeeded_at IS NOT NULL THEN 'DEVICE_ONLY' ELSE 'AUTHORITY_ONLY' END`;

/**
 * The authority's answer about device `d` to use in run $1 (scope $2/$3), given its clear-card report `c`: this run's
 * answer; but when this run could not get one (the authority unavailable, or the run's call limit reached), the
 * newest answer an earlier run of the scope got after the device's latest report, marked `carried_from` with this
 * run's reason beside it. Without it, a DEVICE_ONLY finding would resolve on every run during an outage and reopen
 * on the next answer. An answer older than the device's latest report is not carried: the report may have changed
 * what the authority would say. A device without a number (NO_DEVICE_NUMBER) carries nothing.
 */
const ANSWER_FOR_RUN = `
  SELECT x.device_id, x.device_no, x.status, x.cleared_at, x.error_code, x.error_message,
         CASE WHEN x.run_id = $1 THEN x.unknown END AS unknown, CASE WHEN x.run_id = $1 THEN x.detail END AS detail, x.checked_at,
         CASE WHEN x.run_id <> $1 THEN x.run_id END AS carried_from, cur.unknown AS unknown_now, cur.detail AS detail_now
    FROM run_clear_card_checks x
    LEFT JOIN run_clear_card_checks cur ON cur.run_id = $1 AND cur.device_id = d.device_id
   WHERE x.device_id = d.device_id
     AND (x.run_id = $1
          OR (cur.unknown IN ('AUTHORITY_UNAVAILABLE', 'LIMIT_REACHED') AND x.status IS NOT NULL
              AND x.checked_at >= COALESCE(c.at, '-infinity'::timestamptz)
              AND x.run_id IN (SELECT r.id FROM reconcile_runs r WHERE r.tax_no = $2 AND r.period = $3)))
   ORDER BY x.status IS NOT NULL DESC, x.checked_at DESC
   LIMIT 1`;

/**
 * Each device of the scope with its clear-card for the period and the authority's answer for the run, decided: `cleared`
 * (the authority's view where it contradicts the device, else the device's report) and `failed`. Parameters: $1 run,
 * $2 tax number, $3 period (after the scope's `devices`).
 */
const DECIDED = `
       judged AS (
         SELECT d.device_id, d.branch_id, c.status AS last_status, c.at AS last_at, c.succeeded_at,
                c.error_code, c.error_message, c.remote_target, k.device_id IS NOT NULL AS checked, k.device_no, k.status AS authority_status,
                k.cleared_at AS authority_cleared_at, k.error_code AS authority_error_code,
                k.error_message AS authority_error_message, k.unknown, k.detail, k.checked_at, k.carried_from, k.unknown_now,
                k.detail_now, ${AGREEMENT} AS agreement,
                n.device_name, n.device_no AS registered_no
           FROM devices d
           LEFT JOIN device_clear_cards c ON c.device_id = d.device_id AND c.period = $3
           LEFT JOIN LATERAL (${ANSWER_FOR_RUN}) k ON true
           LEFT JOIN device_numbers n ON n.device_id = d.device_id AND n.tax_no = $2),
       decided AS (
         SELECT j.*,
                CASE j.agreement WHEN 'DEVICE_ONLY' THEN false WHEN 'AUTHORITY_ONLY' THEN true
                                 ELSE j.succeeded_at IS NOT NULL END AS cleared,
                CASE WHEN j.agreement = 'DEVICE_ONLY' THEN j.authority_status = 'FAILED'
                     ELSE j.last_status IS NOT DISTINCT FROM 'failed' END AS failed
           FROM judged j)`;

/**
 * The device checks, set-based like the invoice ones. Deadlines and thresholds come in as parameters
 * computed by the domain rules (filing calendar), so SQL and the domain cannot disagree.
 */
@Injectable()
export class DeviceCompareRepository {
  /**
   * No successful clear-card for the period once its filing deadline has passed; or the last attempt failed. When
   * the authority answered for the device in this run, its view goes into the facts (`authority`) and decides where
   * it contradicts the device: `DEVICE_ONLY` raises CLEAR_CARD_OVERDUE after the deadline and CLEAR_CARD_FAILED when
   * the authority says FAILED; `AUTHORITY_ONLY` raises neither. Otherwise (agreement, the authority not asked or
   * unavailable: `authority.unknown` says why) the device's own report decides, as it always did.
   */
  async clearCard(m: EntityManager, p: CompareParams, periodStart: Date, periodEnd: Date): Promise<void> {
    await m.query(
      `WITH ${DEVICES},
       ${DECIDED}
       INSERT INTO run_discrepancies (run_id, type, subject, device_id, facts)
       SELECT $1, t.type, j.device_id, j.device_id,
              jsonb_build_object('deviceId', j.device_id, ${LABEL('j.device_name', 'COALESCE(j.registered_no, j.device_no)')},
                'branchId', j.branch_id, 'period', $3::text, 'deadline', $7::text,
                'lastStatus', j.last_status, 'lastAttemptAt', j.last_at, 'errorCode', j.error_code, 'errorMessage', j.error_message,
                'remoteTarget', j.remote_target)
              || CASE WHEN NOT j.checked THEN '{}'::jsonb
                      WHEN j.unknown IS NOT NULL THEN jsonb_build_object('authority', jsonb_build_object(
                        'deviceNo', j.device_no, 'unknown', j.unknown, 'detail', j.detail, 'checkedAt', j.checked_at))
                      ELSE jsonb_build_object('deviceClearedAt', j.succeeded_at, 'authority', jsonb_build_object(
                        'deviceNo', j.device_no, 'status', j.authority_status, 'clearedAt', j.authority_cleared_at,
                        'errorCode', j.authority_error_code, 'errorMessage', j.authority_error_message,
                        'checkedAt', j.checked_at, 'agreement', j.agreement)
                        || CASE WHEN j.carried_from IS NOT NULL THEN jsonb_build_object('carriedFromRun', j.carried_from,
                             'unknownNow', j.unknown_now, 'detailNow', j.detail_now) ELSE '{}'::jsonb END) END
         FROM decided j
         CROSS JOIN LATERAL (VALUES
           (CASE WHEN NOT j.cleared AND $5::timestamptz >= $6::timestamptz THEN 'CLEAR_CARD_OVERDUE' END),
           (CASE WHEN NOT j.cleared AND j.failed THEN 'CLEAR_CARD_FAILED' END)) AS t(type)
        WHERE t.type IS NOT NULL`,
      [p.runId, p.taxNo, p.period, periodStart, p.now, p.filingClosesAt, p.filingDeadline, periodEnd],
    );
  }

  /**
   * Devices that go quiet (docs/device-operations.md). For the period in filing, from `quietFrom` (N days before its
   * deadline): DEVICE_SILENT when the device sent no 抄报 and no clear-card for the period and no monitor reading since
   * its start (instead of the two below), else REPORT_MISSING when it has no 抄报 for the period, and CLEAR_CARD_MISSING
   * when it has not cleared (the same decision as clearCard's, the authority's view included) until the deadline, after
   * which CLEAR_CARD_OVERDUE takes over; a failed clear-card is CLEAR_CARD_FAILED's. In a run of the current period:
   * DEVICE_SILENT when the device's last reading is older than `silentPercent` % of its offline hours limit, with the
   * moment it may lock. The same scope devices as clearCard's; deadlines come from the domain calendar.
   */
  async quiet(m: EntityManager, p: CompareParams, periodStart: Date, periodEnd: Date): Promise<void> {
    await m.query(
      `WITH ${DEVICES},
       ${DECIDED},
       seen AS (
         SELECT j.*, reg.hosted_on, x.at AS reading_at, x.offline_since, x.offline_hours_limit, to_char(x.lock_date, 'YYYY-MM-DD') AS lock_date,
                (SELECT MAX(r.reported_at) FROM (SELECT reported_at FROM device_report_periods WHERE device_id = j.device_id AND period = $3
                                                 UNION ALL SELECT reported_at FROM device_reports WHERE device_id = j.device_id AND period = $3) r) AS reported_at,
                (SELECT MAX(at) FROM device_clear_cards WHERE device_id = j.device_id) AS last_clear_card_at,
                (SELECT MAX(r.reported_at) FROM (SELECT reported_at FROM device_report_periods WHERE device_id = j.device_id
                                                 UNION ALL SELECT reported_at FROM device_reports WHERE device_id = j.device_id) r) AS last_report_at
           FROM decided j
           LEFT JOIN device_registry reg ON reg.device_id = j.device_id
           LEFT JOIN device_monitors x ON x.device_id = j.device_id),
       quiet AS (
         SELECT s.*, GREATEST(s.reading_at, s.last_clear_card_at, s.last_report_at) AS last_seen_at,
                $5::timestamptz >= $9::timestamptz AS quiet_window,
                s.reported_at IS NULL AND s.last_status IS NULL AND NOT s.cleared
                  AND (s.reading_at IS NULL OR s.reading_at < $4::timestamptz) AS silent,
                $10::boolean AND s.offline_hours_limit > 0
                  AND EXTRACT(EPOCH FROM ($5::timestamptz - s.reading_at)) * 100 >= s.offline_hours_limit::numeric * 3600 * $11 AS stale,
                COALESCE(s.offline_since, s.reading_at) + s.offline_hours_limit * interval '1 hour' AS may_lock_at
           FROM seen s)
       INSERT INTO run_discrepancies (run_id, type, subject, device_id, facts)
       SELECT $1, t.type, j.device_id, j.device_id,
              jsonb_build_object('deviceId', j.device_id, ${LABEL('j.device_name', 'COALESCE(j.registered_no, j.device_no)')},
                'branchId', j.branch_id, 'hostedOn', j.hosted_on, 'period', $3::text,
                'periodStart', to_char($4::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), 'deadline', $7::text,
                'reportedAt', j.reported_at, 'lastReportAt', j.last_report_at, 'lastClearCardAt', j.last_clear_card_at,
                'lastReadingAt', j.reading_at, 'lastSeenAt', j.last_seen_at, 'lockDate', j.lock_date)
              || CASE WHEN t.kind = 'stale-reading' THEN jsonb_build_object('kind', t.kind, 'offlineHoursLimit', j.offline_hours_limit,
                        'offlineSince', j.offline_since, 'thresholdPercent', $11::int, 'mayLockAt', j.may_lock_at)
                      WHEN t.kind IS NOT NULL THEN jsonb_build_object('kind', t.kind) ELSE '{}'::jsonb END
         FROM quiet j
         CROSS JOIN LATERAL (VALUES
           (CASE WHEN j.quiet_window AND j.silent THEN 'DEVICE_SILENT' END, 'no-activity'),
           (CASE WHEN j.quiet_window AND NOT j.silent AND j.reported_at IS NULL THEN 'REPORT_MISSING' END, NULL),
           (CASE WHEN j.quiet_window AND NOT j.silent AND NOT j.cleared AND NOT j.failed
                      AND $5::timestamptz < $6::timestamptz THEN 'CLEAR_CARD_MISSING' END, NULL),
           (CASE WHEN j.stale THEN 'DEVICE_SILENT' END, 'stale-reading')) AS t(type, kind)
        WHERE t.type IS NOT NULL`,
      [
        p.runId, p.taxNo, p.period, periodStart, p.now, p.filingClosesAt, p.filingDeadline, periodEnd,
        p.quietFrom, p.currentPeriod, p.silentPercent,
      ],
    );
  }

  /** Lock date within N days (or passed), and offline time or amount at ≥ threshold % of the limit: now, so current period only. */
  async limits(m: EntityManager, p: CompareParams): Promise<void> {
    if (!p.currentPeriod) return;
    await m.query(
      `WITH today AS (SELECT ($3::timestamptz AT TIME ZONE 'Asia/Shanghai')::date AS d),
       readings AS (
         SELECT x.*, (x.lock_date - (SELECT d FROM today)) AS days_left,
                CASE WHEN x.offline_since IS NULL THEN 0
                     ELSE GREATEST(0, FLOOR(EXTRACT(EPOCH FROM ($3::timestamptz - x.offline_since)) * 1000)) END AS offline_ms
           FROM device_monitors x WHERE x.tax_no = $2 AND ${notStopped('x.device_id')}),
       labelled AS (
         SELECT r.*, n.device_name, n.device_no FROM readings r
           LEFT JOIN device_numbers n ON n.device_id = r.device_id AND n.tax_no = $2),
       judged AS (
         SELECT r.*,
                CASE WHEN r.offline_hours_limit = 0 THEN r.offline_ms > 0
                     ELSE r.offline_ms * 100 >= r.offline_hours_limit::numeric * 3600000 * $5 END AS duration_near,
                CASE WHEN r.offline_amount_limit <= 0 THEN r.offline_amount > 0
                     ELSE GREATEST(r.offline_amount, 0) * 100 >= r.offline_amount_limit * $5 END AS amount_near
           FROM labelled r)
       INSERT INTO run_discrepancies (run_id, type, subject, device_id, facts)
       SELECT $1, t.type, j.device_id, j.device_id,
              jsonb_build_object('deviceId', j.device_id, ${LABEL('j.device_name', 'j.device_no')}, 'branchId', j.branch_id, 'readingAt', j.at,
                'lockDate', to_char(j.lock_date, 'YYYY-MM-DD'), 'daysLeft', j.days_left, 'offlineSince', j.offline_since,
                'offlineHours', FLOOR(j.offline_ms / 3600000), 'offlineHoursLimit', j.offline_hours_limit,
                'offlineAmount', j.offline_amount::text, 'offlineAmountLimit', j.offline_amount_limit::text,
                'durationNear', j.duration_near, 'amountNear', j.amount_near, 'thresholdPercent', $5::int)
         FROM judged j
         CROSS JOIN LATERAL (VALUES
           (CASE WHEN j.days_left <= $4 THEN 'DEVICE_LOCK_IMMINENT' END),
           (CASE WHEN j.duration_near OR j.amount_near THEN 'OFFLINE_LIMIT_NEAR' END)) AS t(type)
        WHERE t.type IS NOT NULL`,
      [p.runId, p.taxNo, p.now, p.lockWithinDays, p.offlineNearPercent],
    );
  }

  /**
   * Three-way match of the 抄报 totals per invoice type: the device's report against the ledger (non-voided
   * invoices of the device, red ones negative) and, when the pull is complete and the taxpayer has one
   * device, against the authority's records too.
   */
  async reportTotals(m: EntityManager, p: CompareParams): Promise<void> {
    await m.query(
      `WITH reported AS (
         SELECT * FROM device_reports WHERE tax_no = $2 AND period = $3),
       reporting AS (SELECT DISTINCT device_id, branch_id FROM reported r WHERE ${notStopped('r.device_id')}),
       ledger AS (
         SELECT l.device_id, l.invoice_type, COUNT(*)::int AS n, SUM(l.amount) AS amount, SUM(l.tax_amount) AS tax
           FROM ledger_invoices l JOIN reporting r USING (device_id)
          WHERE l.tax_no = $2 AND l.period = $3 AND l.source = 'ledger' AND l.state <> 'voided'
          GROUP BY l.device_id, l.invoice_type),
       single AS (
         -- at most one device issued the period's invoices (COUNT(DISTINCT device_id) <= 1, without sorting a million rows:
         -- the scan stops at the first invoice of a second device)
         SELECT $4::boolean AND NOT EXISTS (
                  SELECT 1 FROM ledger_invoices x,
                         (SELECT device_id FROM ledger_invoices WHERE tax_no = $2 AND period = $3 AND source = 'ledger' AND device_id IS NOT NULL LIMIT 1) one
                   WHERE x.tax_no = $2 AND x.period = $3 AND x.source = 'ledger' AND x.device_id <> one.device_id) AS known),
       authority AS (
         SELECT invoice_type, COUNT(*)::int AS n, SUM(amount) AS amount, SUM(tax_amount) AS tax FROM (
           SELECT * FROM authority_staged WHERE run_id = $1) s
          WHERE status <> 'VOIDED' AND (SELECT known FROM single) GROUP BY invoice_type),
       compared AS (
         SELECT r.device_id, r.branch_id, dn.device_name, dn.device_no, t.invoice_type,
                COALESCE(rp.invoice_count, 0) AS rn, COALESCE(rp.amount, 0) AS ra, COALESCE(rp.tax_amount, 0) AS rt,
                COALESCE(l.n, 0) AS ln, COALESCE(l.amount, 0) AS la, COALESCE(l.tax, 0) AS lt,
                a.n AS an, a.amount AS aa, a.tax AS at, (SELECT known FROM single) AS authority_known
           FROM reporting r
           CROSS JOIN LATERAL (SELECT invoice_type FROM reported x WHERE x.device_id = r.device_id
                               UNION SELECT invoice_type FROM ledger y WHERE y.device_id = r.device_id) t
           LEFT JOIN reported rp ON rp.device_id = r.device_id AND rp.invoice_type = t.invoice_type
           LEFT JOIN ledger l ON l.device_id = r.device_id AND l.invoice_type = t.invoice_type
           LEFT JOIN authority a ON a.invoice_type = t.invoice_type
           LEFT JOIN device_numbers dn ON dn.device_id = r.device_id AND dn.tax_no = $2)
       INSERT INTO run_discrepancies (run_id, type, subject, device_id, facts)
       SELECT $1, 'REPORT_TOTALS_MISMATCH', c.device_id || ':' || c.invoice_type, c.device_id,
              jsonb_build_object('deviceId', c.device_id, ${LABEL('c.device_name', 'c.device_no')}, 'branchId', c.branch_id,
                'invoiceType', c.invoice_type, 'period', $3::text,
                'device', jsonb_build_object('count', c.rn, 'amount', c.ra::text, 'taxAmount', c.rt::text),
                'ledger', jsonb_build_object('count', c.ln, 'amount', c.la::text, 'taxAmount', c.lt::text),
                'authority', CASE WHEN c.authority_known THEN jsonb_build_object('count', COALESCE(c.an, 0),
                  'amount', COALESCE(c.aa, 0)::text, 'taxAmount', COALESCE(c.at, 0)::text) END)
         FROM compared c
        WHERE (c.rn, c.ra, c.rt) IS DISTINCT FROM (c.ln, c.la, c.lt)
           OR (c.authority_known AND (c.rn, c.ra, c.rt) IS DISTINCT FROM (COALESCE(c.an, 0), COALESCE(c.aa, 0), COALESCE(c.at, 0)))`,
      [p.runId, p.taxNo, p.period, p.pullComplete],
    );
  }
}
