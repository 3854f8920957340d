import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { MaintenanceChanged } from '@lib/contracts';

/** The maintenance windows as reconcile last announced them: one row per window, its latest revision. */
@Injectable()
export class MaintenanceWindowRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Keeps the newer revision: returns false when a later (or the same) revision is already stored, so an event that
   * arrives late changes nothing.
   */
  async apply(m: EntityManager, w: MaintenanceChanged): Promise<boolean> {
    const rows = (await m.query(
      `INSERT INTO maintenance_windows (window_id, revision, data, updated_at) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (window_id) DO UPDATE SET revision = EXCLUDED.revision, data = EXCLUDED.data, updated_at = EXCLUDED.updated_at
        WHERE maintenance_windows.revision < EXCLUDED.revision
       RETURNING window_id`,
      [w.windowId, w.revision, JSON.stringify(w), w.updatedAt],
    )) as unknown[];
    return rows.length > 0;
  }

  async get(windowId: string): Promise<MaintenanceChanged | undefined> {
    const rows = (await this.dataSource.query('SELECT data FROM maintenance_windows WHERE window_id = $1', [windowId])) as {
      data: MaintenanceChanged;
    }[];
    return rows[0]?.data;
  }
}
