import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BranchScope, scopeParam } from '@lib/platform';
import { notStopped } from '../compare/device-compare.repository';

/** Which devices a compliance page shows; a filter left out is a NULL parameter. */
export interface DeviceComplianceFilters {
  taxNo?: string;
  branchId?: string;
  deviceIds?: string[];
  /** Only the devices whose `clearedForPeriod` is this. */
  cleared?: boolean;
}

/** The period whose clear-card is judged and its bounds (domain calendar, computed by the caller). */
export interface JudgedPeriod {
  period: string;
  start: Date;
  end: Date;
}

export interface DeviceComplianceView {
  deviceId: string;
  taxNo: string;
  branchId: string;
  deviceNo: string | null;
  lastClearCard: { period: string; status: string; at: string } | null;
  /** A successful clear-card for the judged period, or none needed (see clearRequired). */
  clearedForPeriod: boolean;
  /** Whether the device had to clear the judged period: the same devices reconcile's CLEAR_CARD_OVERDUE judges. */
  clearRequired: boolean;
  lockDate: string | null;
  offlineSince: string | null;
  offlineAmount: string | null;
  offlineAmountLimit: string | null;
  offlineHoursLimit: number | null;
  /** When the monitor reading above was taken. */
  monitorAt: string | null;
  lastReport: { period: string; at: string } | null;
}

/**
 * The devices reconcile knows from device.events.v1 (monitor readings, clear-cards, 抄报, and the registry's
 * device.changed), each under the taxpayer and branch of its newest event, so a device moved to another branch is seen
 * there only. Parameters: $1 scope, $2 taxNo, $3 branchId, $4 deviceIds, $5 period, $6 period start, $7 period end.
 */
const DEVICES = `
  known AS (
    SELECT device_id, tax_no, branch_id, at FROM device_monitors WHERE $2::text IS NULL OR tax_no = $2
    UNION ALL SELECT device_id, tax_no, branch_id, at FROM device_clear_cards WHERE $2::text IS NULL OR tax_no = $2
    UNION ALL SELECT device_id, tax_no, branch_id, reported_at FROM device_reports WHERE $2::text IS NULL OR tax_no = $2
    UNION ALL SELECT device_id, tax_no, branch_id, reported_at FROM device_report_periods WHERE $2::text IS NULL OR tax_no = $2
    UNION ALL SELECT device_id, tax_no, branch_id, changed_at FROM device_registry WHERE $2::text IS NULL OR tax_no = $2),
  devices AS (
    SELECT DISTINCT ON (device_id) device_id, tax_no, branch_id FROM known
     WHERE $4::text[] IS NULL OR device_id = ANY($4::text[])
     ORDER BY device_id, at DESC),
  scoped AS (
    SELECT * FROM devices
     WHERE ($1::text[] IS NULL OR branch_id = ANY($1::text[])) AND ($3::text IS NULL OR branch_id = $3)),
  judged AS (
    SELECT s.*,
           EXISTS (SELECT 1 FROM device_clear_cards c
                    WHERE c.device_id = s.device_id AND c.period = $5 AND c.succeeded_at IS NOT NULL) AS cleared,
           -- scopeDevicesCte (compare/device-compare.repository.ts): registered, active and begun before the period's end,
           -- or issued, cleared or reported in the period, or seen before its end and still reporting after its start; never
           -- a device the registry says is suspended or retired
           (EXISTS (SELECT 1 FROM device_registry g WHERE g.device_id = s.device_id AND g.status = 'active'
                       AND g.began_at < $7::timestamptz)
            OR EXISTS (SELECT 1 FROM device_clear_cards c WHERE c.device_id = s.device_id AND c.period = $5)
            OR EXISTS (SELECT 1 FROM device_reports r WHERE r.device_id = s.device_id AND r.period = $5)
            OR EXISTS (SELECT 1 FROM device_report_periods r WHERE r.device_id = s.device_id AND r.period = $5)
            OR EXISTS (SELECT 1 FROM device_monitors m WHERE m.device_id = s.device_id
                          AND m.at >= $6::timestamptz AND m.first_seen_at < $7::timestamptz)
            OR EXISTS (SELECT 1 FROM ledger_invoices l WHERE l.device_id = s.device_id AND l.period = $5
                          AND l.source = 'ledger'))
           AND ${notStopped('s.device_id')} AS required
      FROM scoped s),
  filtered AS (
    SELECT * FROM judged WHERE $8::boolean IS NULL OR (cleared OR NOT required) = $8::boolean)`;

const DETAILS = `
  SELECT f.device_id, f.tax_no, f.branch_id, f.cleared, f.required, n.device_no,
         lc.period AS clear_period, lc.status AS clear_status, lc.at AS clear_at,
         to_char(m.lock_date, 'YYYY-MM-DD') AS lock_date, m.offline_since, m.offline_amount::text AS offline_amount,
         m.offline_amount_limit::text AS offline_amount_limit, m.offline_hours_limit, m.at AS monitor_at,
         lr.period AS report_period, lr.at AS report_at
    FROM page f
    LEFT JOIN device_numbers n ON n.device_id = f.device_id
    LEFT JOIN device_monitors m ON m.device_id = f.device_id
    LEFT JOIN LATERAL (SELECT c.period, c.status, c.at FROM device_clear_cards c WHERE c.device_id = f.device_id
                        ORDER BY c.period DESC LIMIT 1) lc ON true
    LEFT JOIN LATERAL (SELECT r.period, r.reported_at AS at FROM device_report_periods r WHERE r.device_id = f.device_id
                        ORDER BY r.period DESC LIMIT 1) lr ON true
   ORDER BY f.device_id`;

/**
 * The devices' compliance board, read from reconcile's projections of device.events.v1, always within the caller's
 * branch scope (in SQL): keyset pages by device id, the total matching, one device.
 */
@Injectable()
export class DeviceComplianceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Up to `limit` devices after `after` (a device id), by device id. */
  async list(
    scope: BranchScope,
    f: DeviceComplianceFilters,
    judged: JudgedPeriod,
    after: string | null,
    limit: number,
  ): Promise<DeviceComplianceView[]> {
    const rows = (await this.dataSource.query(
      `WITH ${DEVICES},
       page AS (SELECT * FROM filtered WHERE $9::text IS NULL OR device_id > $9 ORDER BY device_id LIMIT $10)
       ${DETAILS}`,
      [...params(scope, f, judged), after, limit],
    )) as Record<string, unknown>[];
    return rows.map(toView);
  }

  async count(scope: BranchScope, f: DeviceComplianceFilters, judged: JudgedPeriod): Promise<number> {
    const [row] = (await this.dataSource.query(
      `WITH ${DEVICES} SELECT COUNT(*)::int AS n FROM filtered`,
      params(scope, f, judged),
    )) as { n: number }[];
    return row?.n ?? 0;
  }
}

function params(scope: BranchScope, f: DeviceComplianceFilters, judged: JudgedPeriod): unknown[] {
  return [
    scopeParam(scope),
    f.taxNo ?? null,
    f.branchId ?? null,
    f.deviceIds ?? null,
    judged.period,
    judged.start,
    judged.end,
    f.cleared ?? null,
  ];
}

const iso = (value: unknown): string | null =>
  value === null || value === undefined ? null : new Date(value as string | Date).toISOString();

function toView(r: Record<string, unknown>): DeviceComplianceView {
  const required = r.required as boolean;
  return {
    deviceId: r.device_id as string,
    taxNo: r.tax_no as string,
    branchId: r.branch_id as string,
    deviceNo: (r.device_no as string | null) ?? null,
    lastClearCard:
      r.clear_period === null
        ? null
        : {
            period: r.clear_period as string,
            status: r.clear_status as string,
            at: iso(r.clear_at) as string,
          },
    clearedForPeriod: (r.cleared as boolean) || !required,
    clearRequired: required,
    lockDate: (r.lock_date as string | null) ?? null,
    offlineSince: iso(r.offline_since),
    offlineAmount: (r.offline_amount as string | null) ?? null,
    offlineAmountLimit: (r.offline_amount_limit as string | null) ?? null,
    offlineHoursLimit: r.offline_hours_limit === null ? null : Number(r.offline_hours_limit),
    monitorAt: iso(r.monitor_at),
    lastReport:
      r.report_period === null ? null : { period: r.report_period as string, at: iso(r.report_at) as string },
  };
}
