import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { scopeDevicesCte } from '../compare/device-compare.repository';
import { AuthorityClearCardView } from './authority-clear-card.check';
import { DeviceClearCard } from './clear-card-agreement.rules';

/** A device of the scope whose clear-card the authority's answer could change a finding of, with what it reported. */
export interface ClearCardCandidate {
  deviceId: string;
  device: DeviceClearCard;
}

export interface ClearCardScope {
  taxNo: string;
  period: string;
  periodStart: Date;
  periodEnd: Date;
  now: Date;
  /** First instant after the period's filing deadline. */
  filingClosesAt: Date;
}

/** The authority's clear-card answers of a run (`run_clear_card_checks`), read by the comparison by (run_id, device_id). */
@Injectable()
export class ClearCardChecksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The scope's devices (the comparison's own list) whose finding the answer could change: those that report a
   * successful clear-card (the authority may not have it), or a failed one, or none once the deadline has passed
   * (the authority may have it). A device that has not cleared yet before the deadline raises nothing either way.
   */
  async candidates(s: ClearCardScope): Promise<ClearCardCandidate[]> {
    const rows = (await this.dataSource.query(
      `WITH ${scopeDevicesCte('$1', '$2', '$3', '$4')}
       SELECT d.device_id, c.succeeded_at IS NOT NULL AS succeeded, c.status AS last_status
         FROM devices d
         LEFT JOIN device_clear_cards c ON c.device_id = d.device_id AND c.period = $2
        WHERE c.succeeded_at IS NOT NULL OR c.status = 'failed' OR $5::timestamptz >= $6::timestamptz
        ORDER BY d.device_id`,
      [s.taxNo, s.period, s.periodStart, s.periodEnd, s.now, s.filingClosesAt],
    )) as { device_id: string; succeeded: boolean; last_status: 'succeeded' | 'failed' | null }[];
    return rows.map((r) => ({
      deviceId: r.device_id,
      device: { succeeded: r.succeeded, lastStatus: r.last_status },
    }));
  }

  /** Replaces the run's answers (a run taken over asks again), in the caller's transaction. */
  async save(
    m: EntityManager,
    runId: string,
    views: AuthorityClearCardView[],
    checkedAt: Date,
  ): Promise<void> {
    await m.query('DELETE FROM run_clear_card_checks WHERE run_id = $1', [runId]);
    if (views.length === 0) return;
    const rows = views.map((v) =>
      'authority' in v
        ? {
            device_id: v.deviceId,
            device_no: v.deviceNo,
            status: v.authority.status,
            cleared_at: v.authority.clearedAt,
            error_code: v.authority.errorCode,
            error_message: v.authority.errorMessage,
            unknown: null,
            detail: null,
          }
        : {
            device_id: v.deviceId,
            device_no: v.deviceNo,
            status: null,
            cleared_at: null,
            error_code: null,
            error_message: null,
            unknown: v.unknown,
            detail: v.detail,
          },
    );
    await m.query(
      `INSERT INTO run_clear_card_checks (run_id, device_id, device_no, status, cleared_at, error_code, error_message, unknown, detail, checked_at)
       SELECT $1, r.device_id, r.device_no, r.status, r.cleared_at, r.error_code, r.error_message, r.unknown, r.detail, $3
         FROM jsonb_to_recordset($2::jsonb) AS r(device_id text, device_no text, status text, cleared_at text, error_code text,
                                                  error_message text, unknown text, detail text)`,
      [runId, JSON.stringify(rows), checkedAt],
    );
  }

  /** Keeps the answers of the scope's latest `keep` finished runs only, like the staged records. */
  async prune(taxNo: string, period: string, keep: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM run_clear_card_checks x WHERE x.run_id IN (
         SELECT id FROM reconcile_runs WHERE tax_no = $1 AND period = $2 AND state IN ('completed', 'incomplete', 'failed')
          ORDER BY created_at DESC OFFSET $3)
         -- a device's newest answer of the scope stays, however old its run, for the runs that cannot get one (device-compare)
         AND (x.status IS NULL OR EXISTS (
               SELECT 1 FROM run_clear_card_checks y JOIN reconcile_runs r ON r.id = y.run_id
                WHERE y.device_id = x.device_id AND y.status IS NOT NULL AND r.tax_no = $1 AND r.period = $2
                  AND y.checked_at > x.checked_at))`,
      [taxNo, period, keep],
    );
  }
}
