import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { DeviceChange } from '@lib/contracts';
import { queryRows } from '@lib/persistence';
import type { Actor } from '@lib/platform';
import { DeviceStatus } from '../device.model';

/** One recorded change of a device: what, when, by whom, why, and the status it left the device in. */
export interface DeviceChangeEntry {
  deviceId: string;
  change: DeviceChange;
  status: DeviceStatus;
  reason: string | null;
  actor: Actor;
  at: Date;
  /** What else the change set (the new device number, the hosting platform, the replacement). */
  detail: Record<string, unknown>;
}

interface ChangeRow {
  device_id: string;
  change: DeviceChange;
  status: DeviceStatus;
  reason: string | null;
  actor_kind: Actor['kind'];
  actor_subject: string;
  actor_name: string;
  at: Date;
  detail: Record<string, unknown> | null;
}

/** The device_changes table: appended in the change's transaction, read newest first. */
@Injectable()
export class DeviceChangesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, entry: DeviceChangeEntry): Promise<void> {
    await manager.query(
      `INSERT INTO device_changes (device_id, change, status, reason, actor_kind, actor_subject, actor_name, at, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        entry.deviceId,
        entry.change,
        entry.status,
        entry.reason,
        entry.actor.kind,
        entry.actor.subject,
        entry.actor.name,
        entry.at,
        JSON.stringify(entry.detail),
      ],
    );
  }

  async newestFirst(deviceId: string, limit: number): Promise<DeviceChangeEntry[]> {
    const rows = await queryRows<ChangeRow>(
      this.dataSource.manager,
      `SELECT device_id, change, status, reason, actor_kind, actor_subject, actor_name, at, detail
         FROM device_changes WHERE device_id = $1 ORDER BY at DESC, id DESC LIMIT $2`,
      [deviceId, limit],
    );
    return rows.map((row) => ({
      deviceId: row.device_id,
      change: row.change,
      status: row.status,
      reason: row.reason,
      actor: { kind: row.actor_kind, subject: row.actor_subject, name: row.actor_name },
      at: row.at,
      detail: row.detail ?? {},
    }));
  }
}
