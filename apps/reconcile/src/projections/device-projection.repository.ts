import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ClearCardEventData, DeviceChangedEventData, MonitorEventData, ReportEventData } from '@lib/contracts';
import { startOfShanghaiDay } from '@lib/domain';
import { money } from './ledger.model';

/** What every device event says about the device's authority number (机器编号) and name; undefined from older producers. */
type DeviceNumberOrigin = Pick<ClearCardEventData, 'deviceId' | 'taxNo' | 'deviceNo' | 'deviceName' | 'receivedAt'>;

/**
 * The devices' latest clear-card result per period (and whether one ever succeeded), their latest 抄报
 * totals per period, their latest monitor reading and their authority number. An older event never
 * overwrites a newer one.
 */
@Injectable()
export class DeviceProjectionRepository {
  async recordClearCard(m: EntityManager, eventId: string, d: ClearCardEventData): Promise<void> {
    await m.query(
      `INSERT INTO device_clear_cards AS c (device_id, period, tax_no, branch_id, status, succeeded_at, at, error_code, error_message, event_id, remote_target)
       VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 = 'succeeded' THEN $6::timestamptz END, $6, $7, $8, $9, $10)
       ON CONFLICT (device_id, period) DO UPDATE SET
         succeeded_at = LEAST(c.succeeded_at, EXCLUDED.succeeded_at),
         status = CASE WHEN EXCLUDED.at >= c.at THEN EXCLUDED.status ELSE c.status END,
         remote_target = CASE WHEN EXCLUDED.at >= c.at THEN EXCLUDED.remote_target ELSE c.remote_target END,
         error_code = CASE WHEN EXCLUDED.at >= c.at THEN EXCLUDED.error_code ELSE c.error_code END,
         error_message = CASE WHEN EXCLUDED.at >= c.at THEN EXCLUDED.error_message ELSE c.error_message END,
         event_id = CASE WHEN EXCLUDED.at >= c.at THEN EXCLUDED.event_id ELSE c.event_id END,
         at = GREATEST(c.at, EXCLUDED.at)`,
      [d.deviceId, d.period, d.taxNo, d.branchId, d.status, d.at, d.errorCode, d.errorMessage, eventId, d.remote?.target ?? null],
    );
  }

  /**
   * The registry's view of a device (`device.changed`): the newest by `changedAt`, then by the envelope's `producedAt`,
   * so a replayed or late older message changes nothing. `began_at` is when the device must start reporting: the day its
   * tax device was issued (activatedOn, Asia/Shanghai) when given, else its registration.
   */
  async recordRegistry(m: EntityManager, eventId: string, producedAt: Date, d: DeviceChangedEventData): Promise<void> {
    const beganAt = d.activatedOn ? startOfShanghaiDay(d.activatedOn) : new Date(d.registeredAt);
    await m.query(
      `INSERT INTO device_registry AS r (device_id, tax_no, branch_id, device_name, device_no, status, hosted_on, registered_at,
         activated_on, began_at, change, changed_at, produced_at, event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (device_id) DO UPDATE SET
         tax_no = EXCLUDED.tax_no, branch_id = EXCLUDED.branch_id, device_name = EXCLUDED.device_name,
         device_no = EXCLUDED.device_no, status = EXCLUDED.status, hosted_on = EXCLUDED.hosted_on,
         registered_at = EXCLUDED.registered_at, activated_on = EXCLUDED.activated_on, began_at = EXCLUDED.began_at,
         change = EXCLUDED.change, changed_at = EXCLUDED.changed_at, produced_at = EXCLUDED.produced_at,
         event_id = EXCLUDED.event_id
       WHERE (EXCLUDED.changed_at, EXCLUDED.produced_at) >= (r.changed_at, r.produced_at)`,
      [
        d.deviceId, d.taxNo, d.branchId, d.deviceName, d.deviceNo, d.status, d.hostedOn, d.registeredAt,
        d.activatedOn, beganAt, d.change, d.changedAt, producedAt, eventId,
      ],
    );
  }

  /**
   * The authority number and the name the gateway had registered when it received the event (null: none). By the
   * gateway's receipt time, so a replayed older event does not bring back a number or name since replaced; an event
   * without a field (an older gateway) says nothing about it and leaves what was known.
   */
  async recordDeviceNo(m: EntityManager, eventId: string, d: DeviceNumberOrigin): Promise<void> {
    if (d.deviceNo === undefined && d.deviceName === undefined) return;
    await m.query(
      `INSERT INTO device_numbers AS n (device_id, tax_no, device_no, device_name, at, event_id) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (device_id) DO UPDATE SET
         tax_no = EXCLUDED.tax_no,
         device_no = CASE WHEN $7 THEN EXCLUDED.device_no ELSE n.device_no END,
         device_name = CASE WHEN $8 THEN EXCLUDED.device_name ELSE n.device_name END,
         at = EXCLUDED.at, event_id = EXCLUDED.event_id
       WHERE EXCLUDED.at >= n.at`,
      [d.deviceId, d.taxNo, d.deviceNo ?? null, d.deviceName ?? null, d.receivedAt, eventId, d.deviceNo !== undefined, d.deviceName !== undefined],
    );
  }

  async recordReport(m: EntityManager, eventId: string, d: ReportEventData, reportedAt: Date): Promise<void> {
    const newer = (await m.query(
      `SELECT 1 FROM device_report_periods WHERE device_id = $1 AND period = $2 AND reported_at > $3
       UNION ALL SELECT 1 FROM device_reports WHERE device_id = $1 AND period = $2 AND reported_at > $3 LIMIT 1`,
      [d.deviceId, d.period, reportedAt],
    )) as unknown[];
    if (newer.length > 0) return;
    // that it reported, even an empty month (no totals row below): the newest report wins
    await m.query(
      `INSERT INTO device_report_periods AS p (device_id, period, tax_no, branch_id, reported_at, event_id) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (device_id, period) DO UPDATE SET tax_no = EXCLUDED.tax_no, branch_id = EXCLUDED.branch_id,
         reported_at = EXCLUDED.reported_at, event_id = EXCLUDED.event_id
       WHERE EXCLUDED.reported_at >= p.reported_at`,
      [d.deviceId, d.period, d.taxNo, d.branchId, reportedAt, eventId],
    );
    await m.query('DELETE FROM device_reports WHERE device_id = $1 AND period = $2', [d.deviceId, d.period]);
    if (d.totals.length === 0) return;
    await m.query(
      `INSERT INTO device_reports (device_id, period, invoice_type, tax_no, branch_id, invoice_count, amount, tax_amount, event_id, reported_at)
       SELECT $1, $2, t.type, $3, $4, t.n, t.amount, t.tax, $5, $6
         FROM unnest($7::text[], $8::int[], $9::numeric[], $10::numeric[]) AS t(type, n, amount, tax)`,
      [
        d.deviceId, d.period, d.taxNo, d.branchId, eventId, reportedAt,
        d.totals.map((t) => t.type), d.totals.map((t) => t.count), d.totals.map((t) => money(t.amount)), d.totals.map((t) => money(t.taxAmount)),
      ],
    );
  }

  async recordMonitor(m: EntityManager, eventId: string, d: MonitorEventData): Promise<void> {
    const newer = (column: string) => `${column} = CASE WHEN EXCLUDED.at >= x.at THEN EXCLUDED.${column} ELSE x.${column} END`;
    await m.query(
      `INSERT INTO device_monitors AS x (device_id, tax_no, branch_id, at, lock_date, offline_since, offline_amount,
         offline_amount_limit, offline_hours_limit, event_id, first_seen_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $4)
       ON CONFLICT (device_id) DO UPDATE SET
         first_seen_at = LEAST(x.first_seen_at, EXCLUDED.first_seen_at),
         ${['tax_no', 'branch_id', 'lock_date', 'offline_since', 'offline_amount', 'offline_amount_limit', 'offline_hours_limit', 'event_id']
           .map(newer)
           .join(', ')},
         at = GREATEST(x.at, EXCLUDED.at)`,
      [d.deviceId, d.taxNo, d.branchId, d.at, d.lockDate, d.offlineSince, money(d.offlineAmount), money(d.offlineAmountLimit), d.offlineHoursLimit, eventId],
    );
  }
}
