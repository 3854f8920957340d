import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { queryOne } from '@lib/persistence';
import { Actor } from '@lib/platform';
import { RemoteOpsSetting } from './remote-ops.model';

interface SettingRow {
  scope: 'taxpayer' | 'device';
  scope_id: string;
  enabled: boolean;
  reason: string;
  updated_by_kind: 'person' | 'service';
  updated_by_subject: string;
  updated_by_name: string;
  updated_at: Date;
}

/** The switches of remote operations, per taxpayer and per device. No row: on. */
@Injectable()
export class RemoteOpsSettingsRepository {
  async set(
    manager: EntityManager,
    setting: { scope: 'taxpayer' | 'device'; scopeId: string; enabled: boolean; reason: string },
    actor: Actor,
    at: Date,
  ): Promise<RemoteOpsSetting> {
    const row = await queryOne<SettingRow>(
      manager,
      `INSERT INTO remote_ops_settings
         (scope, scope_id, enabled, reason, updated_by_kind, updated_by_subject, updated_by_name, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (scope, scope_id) DO UPDATE SET
         enabled = EXCLUDED.enabled, reason = EXCLUDED.reason, updated_by_kind = EXCLUDED.updated_by_kind,
         updated_by_subject = EXCLUDED.updated_by_subject, updated_by_name = EXCLUDED.updated_by_name,
         updated_at = EXCLUDED.updated_at
       RETURNING *`,
      [
        setting.scope,
        setting.scopeId,
        setting.enabled,
        setting.reason,
        actor.kind,
        actor.subject.slice(0, 200),
        actor.name.slice(0, 200),
        at,
      ],
    );
    if (!row) throw new Error('remote_ops_settings upsert returned no row');
    return {
      scope: row.scope,
      scopeId: row.scope_id,
      enabled: row.enabled,
      reason: row.reason,
      updatedBy: { kind: row.updated_by_kind, subject: row.updated_by_subject, name: row.updated_by_name },
      updatedAt: row.updated_at,
    };
  }
}
