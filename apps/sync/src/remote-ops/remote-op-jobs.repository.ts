import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { queryOne, queryRows, returningRows } from '@lib/persistence';
import { ClaimedJob, RemoteOpJobState, RemoteOpListState, RemoteOpView } from './remote-ops.model';
import { toHostedDevice } from './hosted-devices.repository';

/** The SQL condition (on `d`, a hosted_devices row) under which a device's remote operations run. */
const ELIGIBLE = `d.status = 'active' AND d.device_no IS NOT NULL AND d.hosted_on IS NOT NULL
  AND COALESCE((SELECT s.enabled FROM remote_ops_settings s WHERE s.scope = 'device' AND s.scope_id = d.device_id), true)
  AND COALESCE((SELECT s.enabled FROM remote_ops_settings s WHERE s.scope = 'taxpayer' AND s.scope_id = d.tax_no), true)`;

/** What an outcome changes on its job (only these columns can be written by it). */
export interface JobPatch {
  state?: RemoteOpJobState;
  failuresInRow?: number;
  nextAttemptAt?: Date;
  /** null ends the claim (the job is free again); absent keeps it (the run goes on with the next step). */
  leasedUntil?: Date | null;
  needsStatus?: boolean;
  lastErrorCode?: string | null;
  lastErrorMessage?: string | null;
  lastRequestId?: string | null;
  alertedCode?: string | null;
  reportedAt?: Date | null;
  reportEvent?: boolean;
  clearedAt?: Date | null;
}

const PATCH_COLUMNS: Record<keyof JobPatch, string> = {
  state: 'state',
  failuresInRow: 'failures_in_row',
  nextAttemptAt: 'next_attempt_at',
  leasedUntil: 'leased_until',
  needsStatus: 'needs_status',
  lastErrorCode: 'last_error_code',
  lastErrorMessage: 'last_error_message',
  lastRequestId: 'last_request_id',
  alertedCode: 'alerted_code',
  reportedAt: 'reported_at',
  reportEvent: 'report_event',
  clearedAt: 'cleared_at',
};

interface ClaimedRow {
  id: string;
  device_id: string;
  period: string;
  target: string;
  state: RemoteOpJobState;
  attempts: number;
  failures_in_row: number;
  needs_status: boolean;
  reported_at: Date | null;
  last_error_code: string | null;
  alerted_code: string | null;
  tax_no: string;
  branch_id: string;
  device_no: string | null;
  device_name: string | null;
  hosted_on: string | null;
  status: 'active' | 'suspended' | 'retired';
  changed_at: Date;
}

interface ListRow {
  device_id: string;
  tax_no: string;
  branch_id: string;
  device_no: string | null;
  hosted_on: string | null;
  state: RemoteOpListState;
  attempts: number;
  last_error_code: string | null;
  last_error_message: string | null;
  next_attempt_at: Date | null;
  reported_at: Date | null;
  cleared_at: Date | null;
}

export interface ListFilter {
  period: string;
  taxNo?: string;
  deviceId?: string;
  state?: RemoteOpListState;
  /** The last device id of the previous page. */
  afterDeviceId?: string;
  limit: number;
  branches: string[] | null;
}

export interface JobEligibility {
  active: boolean;
  hosted: boolean;
  hasDeviceNo: boolean;
  deviceEnabled: boolean;
  taxpayerEnabled: boolean;
}

/**
 * Jobs of remote operations, one per device and period. Claims take due rows with FOR UPDATE SKIP LOCKED and commit
 * at once (the platform is called outside any transaction); each claim numbers itself (attempts) and holds a lease.
 * Outcomes are written only while the job still carries the claim's number, so a replica whose lease ran out cannot
 * overwrite (or publish over) the one that took the job over.
 */
@Injectable()
export class RemoteOpJobsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates the missing jobs of the period for every eligible device; answers how many were created. */
  async plan(period: string, now: Date): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource.manager,
      `INSERT INTO remote_op_jobs (device_id, period, target, state, next_attempt_at, created_at, updated_at)
       SELECT d.device_id, $1, d.hosted_on, 'pending', $2, $2, $2
         FROM hosted_devices d
        WHERE ${ELIGIBLE}
       ON CONFLICT (device_id, period) DO NOTHING
       RETURNING id`,
      [period, now],
    );
    return rows.length;
  }

  /**
   * Claims up to `limit` due jobs of the period whose device is still eligible, oldest due first. A job found with a
   * lease still set was claimed by a run that never finished: its outcome is unknown, so it asks the platform first.
   */
  async claimDue(
    period: string,
    now: Date,
    limit: number,
    leaseMs: number,
    excludeIds: readonly string[] = [],
  ): Promise<ClaimedJob[]> {
    const rows = await returningRows<ClaimedRow>(
      this.dataSource.manager,
      `WITH picked AS (
         SELECT j.id, j.leased_until IS NOT NULL AS taken_over
           FROM remote_op_jobs j
           JOIN hosted_devices d ON d.device_id = j.device_id
          WHERE j.period = $1 AND j.state <> 'cleared' AND j.next_attempt_at <= $2 AND NOT (j.id = ANY($5::bigint[]))
            AND ${ELIGIBLE}
          ORDER BY j.next_attempt_at, j.id
          LIMIT $3
          FOR UPDATE OF j SKIP LOCKED)
       UPDATE remote_op_jobs j
          SET attempts = j.attempts + 1,
              leased_until = $2::timestamptz + make_interval(secs => $4::float8 / 1000),
              next_attempt_at = $2::timestamptz + make_interval(secs => $4::float8 / 1000),
              needs_status = j.needs_status OR picked.taken_over,
              target = d.hosted_on,
              updated_at = $2
         FROM picked, hosted_devices d
        WHERE j.id = picked.id AND d.device_id = j.device_id
        RETURNING j.id, j.device_id, j.period, j.target, j.state, j.attempts, j.failures_in_row, j.needs_status,
                  j.reported_at, j.last_error_code, j.alerted_code, d.tax_no, d.branch_id, d.device_no,
                  d.device_name, d.hosted_on, d.status, d.changed_at`,
      [period, now, limit, leaseMs, [...excludeIds]],
    );
    return rows.map((row) => ({
      id: String(row.id),
      deviceId: row.device_id,
      period: row.period,
      target: row.target,
      state: row.state,
      attempt: row.attempts,
      failuresInRow: row.failures_in_row,
      needsStatus: row.needs_status,
      reportedAt: row.reported_at,
      lastErrorCode: row.last_error_code,
      alertedCode: row.alerted_code,
      device: toHostedDevice(row),
    }));
  }

  /**
   * Writes an outcome of the claim `attempt` in the caller's transaction; false when the job is no longer this
   * claim's (taken over after the lease, or already cleared): the caller must then write nothing else.
   */
  async update(
    manager: EntityManager,
    job: { id: string; attempt: number },
    patch: JobPatch,
    now: Date,
  ): Promise<boolean> {
    const sets = ['updated_at = $3'];
    const params: unknown[] = [job.id, job.attempt, now];
    for (const [key, column] of Object.entries(PATCH_COLUMNS) as [keyof JobPatch, string][]) {
      if (patch[key] === undefined) continue;
      params.push(patch[key]);
      sets.push(`${column} = $${params.length}`);
    }
    const rows = await returningRows<{ id: string }>(
      manager,
      `UPDATE remote_op_jobs SET ${sets.join(', ')}
        WHERE id = $1 AND attempts = $2 AND state <> 'cleared'
        RETURNING id`,
      params,
    );
    return rows.length === 1;
  }

  /** Whether the device's remote operations would run, and if not, why. */
  async eligibility(manager: EntityManager, deviceId: string): Promise<JobEligibility | undefined> {
    return queryOne<JobEligibility>(
      manager,
      `SELECT d.status = 'active' AS active, d.hosted_on IS NOT NULL AS hosted, d.device_no IS NOT NULL AS "hasDeviceNo",
              COALESCE((SELECT s.enabled FROM remote_ops_settings s WHERE s.scope = 'device' AND s.scope_id = d.device_id), true) AS "deviceEnabled",
              COALESCE((SELECT s.enabled FROM remote_ops_settings s WHERE s.scope = 'taxpayer' AND s.scope_id = d.tax_no), true) AS "taxpayerEnabled"
         FROM hosted_devices d WHERE d.device_id = $1`,
      [deviceId],
    );
  }

  /** The device's job of the period, locked for the caller's transaction. */
  async lockJob(
    manager: EntityManager,
    deviceId: string,
    period: string,
  ): Promise<{ id: string; state: RemoteOpJobState; leasedUntil: Date | null } | undefined> {
    const row = await queryOne<{ id: string; state: RemoteOpJobState; leased_until: Date | null }>(
      manager,
      'SELECT id, state, leased_until FROM remote_op_jobs WHERE device_id = $1 AND period = $2 FOR UPDATE',
      [deviceId, period],
    );
    return row && { id: String(row.id), state: row.state, leasedUntil: row.leased_until };
  }

  /**
   * A person's retry: the job is due now, starts by asking the platform what is done, and a failure alerts again. A
   * job waiting for a person goes back to the step it stopped at.
   */
  async makeDueNow(manager: EntityManager, jobId: string, now: Date): Promise<void> {
    await manager.query(
      `UPDATE remote_op_jobs
          SET state = CASE WHEN state = 'failed' THEN CASE WHEN reported_at IS NULL THEN 'pending' ELSE 'reported' END
                           ELSE state END,
              next_attempt_at = $2, failures_in_row = 0, alerted_code = NULL, needs_status = true, updated_at = $2
        WHERE id = $1`,
      [jobId, now],
    );
  }

  /** A job created by a person's retry before the scheduler planned it: due now. */
  async createDueNow(manager: EntityManager, deviceId: string, target: string, period: string, now: Date): Promise<void> {
    await manager.query(
      `INSERT INTO remote_op_jobs (device_id, period, target, state, next_attempt_at, created_at, updated_at)
       VALUES ($1, $2, $3, 'pending', $4, $4, $4)
       ON CONFLICT (device_id, period) DO UPDATE SET next_attempt_at = $4, updated_at = $4`,
      [deviceId, period, target, now],
    );
  }

  /**
   * The period's hosted devices (those eligible now, and those that have a job) with their job, by device id, within
   * the branches given. A device switched off shows as `disabled` until its job is cleared.
   */
  async list(manager: EntityManager, filter: ListFilter): Promise<RemoteOpView[]> {
    const rows = await queryRows<ListRow>(
      manager,
      `SELECT * FROM (
         SELECT d.device_id, d.tax_no, d.branch_id, d.device_no, COALESCE(j.target, d.hosted_on) AS hosted_on,
                CASE WHEN j.state = 'cleared' THEN 'cleared'
                     WHEN NOT COALESCE((SELECT s.enabled FROM remote_ops_settings s WHERE s.scope = 'device' AND s.scope_id = d.device_id), true)
                       OR NOT COALESCE((SELECT s.enabled FROM remote_ops_settings s WHERE s.scope = 'taxpayer' AND s.scope_id = d.tax_no), true)
                       THEN 'disabled'
                     ELSE COALESCE(j.state, 'pending') END AS state,
                COALESCE(j.attempts, 0) AS attempts, j.last_error_code, j.last_error_message,
                CASE WHEN j.state = 'cleared' THEN NULL ELSE j.next_attempt_at END AS next_attempt_at,
                j.reported_at, j.cleared_at
           FROM hosted_devices d
           LEFT JOIN remote_op_jobs j ON j.device_id = d.device_id AND j.period = $1
          WHERE (j.id IS NOT NULL OR (d.hosted_on IS NOT NULL AND d.status = 'active' AND d.device_no IS NOT NULL))
            AND ($2::text IS NULL OR d.tax_no = $2)
            AND ($3::text[] IS NULL OR d.branch_id = ANY($3::text[]))
            AND ($4::text IS NULL OR d.device_id > $4)
            AND ($7::text IS NULL OR d.device_id = $7)) listed
        WHERE ($5::text IS NULL OR listed.state = $5)
        ORDER BY listed.device_id
        LIMIT $6`,
      [
        filter.period,
        filter.taxNo ?? null,
        filter.branches,
        filter.afterDeviceId ?? null,
        filter.state ?? null,
        filter.limit,
        filter.deviceId ?? null,
      ],
    );
    return rows.map((row) => ({
      deviceId: row.device_id,
      taxNo: row.tax_no,
      branchId: row.branch_id,
      deviceNo: row.device_no,
      hostedOn: row.hosted_on,
      period: filter.period,
      state: row.state,
      attempts: row.attempts,
      lastErrorCode: row.last_error_code,
      lastErrorMessage: row.last_error_message,
      nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
      reportedAt: row.reported_at?.toISOString() ?? null,
      clearedAt: row.cleared_at?.toISOString() ?? null,
    }));
  }

  /** Jobs of the period per state, for the gauge. */
  async countByState(period: string): Promise<{ state: RemoteOpJobState; n: number }[]> {
    return queryRows(
      this.dataSource.manager,
      'SELECT state, count(*)::int AS n FROM remote_op_jobs WHERE period = $1 GROUP BY state',
      [period],
    );
  }
}
