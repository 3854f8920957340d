import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { queryOne, queryRows } from '@lib/persistence';
import { Actor, BranchScope, scopeParam } from '@lib/platform';
import { SealedSecret } from '../secrets/secret-cipher';
import { DeviceRecord, DeviceStatus } from './device.model';

interface DeviceRow {
  device_id: string;
  tax_no: string;
  branch_id: string;
  name: string;
  device_no: string | null;
  status: DeviceStatus;
  secret_key_id: string;
  secret_iv: Buffer;
  secret_ciphertext: Buffer;
  secret_tag: Buffer;
  secret_rotated_at: Date | null;
  created_at: Date;
  updated_at: Date;
  disabled_at: Date | null;
  updated_by_kind: 'person' | 'service' | null;
  updated_by_subject: string | null;
  updated_by_name: string | null;
}

export interface DeviceListQuery {
  /** The caller's branches: a device outside them is never read. */
  scope: BranchScope;
  taxNo?: string;
  branchId?: string;
  /** Keyset position: the last row of the previous page. */
  after?: { createdAt: Date; deviceId: string };
  limit: number;
}

const COLUMNS = `device_id, tax_no, branch_id, name, device_no, status, secret_key_id, secret_iv, secret_ciphertext, secret_tag,
  secret_rotated_at, created_at, updated_at, disabled_at, updated_by_kind, updated_by_subject, updated_by_name`;

/** `AND` clause limiting rows to a branch scope; `$n` is `scopeParam(scope)`. */
const inScope = (n: number) => `($${n}::text[] IS NULL OR branch_id = ANY($${n}::text[]))`;

/**
 * SQL for the device registry. UPDATE ... RETURNING is wrapped in a CTE: TypeORM answers a bare UPDATE with
 * [rows, rowCount] instead of the rows.
 */
@Injectable()
export class DevicesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, device: DeviceRecord): Promise<void> {
    const { sealed } = device;
    await manager.query(
      `INSERT INTO devices (${COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        device.deviceId,
        device.taxNo,
        device.branchId,
        device.name,
        device.deviceNo,
        device.status,
        sealed.keyId,
        sealed.iv,
        sealed.ciphertext,
        sealed.tag,
        device.secretRotatedAt,
        device.createdAt,
        device.updatedAt,
        device.disabledAt,
        device.updatedBy?.kind ?? null,
        device.updatedBy?.subject ?? null,
        device.updatedBy?.name ?? null,
      ],
    );
  }

  /** The device when it exists and is inside the scope; otherwise undefined, whichever the reason. */
  async findById(deviceId: string, scope: BranchScope): Promise<DeviceRecord | undefined> {
    const row = await queryOne<DeviceRow>(
      this.dataSource.manager,
      `SELECT ${COLUMNS} FROM devices WHERE device_id = $1 AND ${inScope(2)}`,
      [deviceId, scopeParam(scope)],
    );
    return row && toRecord(row);
  }

  async list(query: DeviceListQuery): Promise<DeviceRecord[]> {
    const params: unknown[] = [];
    const where: string[] = [inScope(params.push(scopeParam(query.scope)))];
    if (query.taxNo !== undefined) where.push(`tax_no = $${params.push(query.taxNo)}`);
    if (query.branchId !== undefined) where.push(`branch_id = $${params.push(query.branchId)}`);
    if (query.after) {
      where.push(
        `(created_at, device_id) > ($${params.push(query.after.createdAt)}, $${params.push(query.after.deviceId)})`,
      );
    }
    const sql = `SELECT ${COLUMNS} FROM devices WHERE ${where.join(' AND ')}
      ORDER BY created_at, device_id LIMIT $${params.push(query.limit)}`;
    return (await queryRows<DeviceRow>(this.dataSource.manager, sql, params)).map(toRecord);
  }

  /** Idempotent: a disabled device keeps its first disabled_at. */
  async disable(manager: EntityManager, change: DeviceChange): Promise<DeviceRecord | undefined> {
    const row = await queryOne<DeviceRow>(
      manager,
      `WITH changed AS (
         UPDATE devices SET status = 'disabled', disabled_at = COALESCE(disabled_at, $2),
                updated_at = CASE WHEN status = 'disabled' THEN updated_at ELSE $2 END,
                ${UPDATED_BY_IF("status <> 'disabled'")}
          WHERE device_id = $1 AND ${inScope(6)} RETURNING ${COLUMNS})
       SELECT * FROM changed`,
      changeParams(change),
    );
    return row && toRecord(row);
  }

  /** Sets or replaces (null: forgets) the authority number; updated_at moves only when it changes. */
  async setDeviceNo(
    manager: EntityManager,
    change: DeviceChange,
    deviceNo: string | null,
  ): Promise<DeviceRecord | undefined> {
    const row = await queryOne<DeviceRow>(
      manager,
      `WITH changed AS (
         UPDATE devices SET device_no = $7,
                updated_at = CASE WHEN device_no IS NOT DISTINCT FROM $7 THEN updated_at ELSE $2 END,
                ${UPDATED_BY_IF('device_no IS DISTINCT FROM $7')}
          WHERE device_id = $1 AND ${inScope(6)} RETURNING ${COLUMNS})
       SELECT * FROM changed`,
      [...changeParams(change), deviceNo],
    );
    return row && toRecord(row);
  }

  async replaceSecret(
    manager: EntityManager,
    change: DeviceChange,
    sealed: SealedSecret,
  ): Promise<DeviceRecord | undefined> {
    const row = await queryOne<DeviceRow>(
      manager,
      `WITH changed AS (
         UPDATE devices SET secret_key_id = $7, secret_iv = $8, secret_ciphertext = $9, secret_tag = $10,
                secret_rotated_at = $2, updated_at = $2, ${UPDATED_BY_IF('true')}
          WHERE device_id = $1 AND ${inScope(6)} RETURNING ${COLUMNS})
       SELECT * FROM changed`,
      [...changeParams(change), sealed.keyId, sealed.iv, sealed.ciphertext, sealed.tag],
    );
    return row && toRecord(row);
  }

  /** Rows sealed under another key than `activeKeyId`, locked for re-encryption (other replicas skip them). */
  async lockSealedUnderOtherKeys(
    manager: EntityManager,
    activeKeyId: string,
    afterId: string,
    limit: number,
  ): Promise<DeviceRecord[]> {
    const rows = await queryRows<DeviceRow>(
      manager,
      `SELECT ${COLUMNS} FROM devices WHERE secret_key_id <> $1 AND device_id > $2
        ORDER BY device_id LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [activeKeyId, afterId, limit],
    );
    return rows.map(toRecord);
  }

  async storeSealed(manager: EntityManager, deviceId: string, sealed: SealedSecret): Promise<void> {
    await manager.query(
      'UPDATE devices SET secret_key_id = $2, secret_iv = $3, secret_ciphertext = $4, secret_tag = $5 WHERE device_id = $1',
      [deviceId, sealed.keyId, sealed.iv, sealed.ciphertext, sealed.tag],
    );
  }

  async countSealedUnderOtherKeys(manager: EntityManager, activeKeyId: string): Promise<number> {
    const row = await queryOne<{ n: number }>(
      manager,
      'SELECT count(*)::int AS n FROM devices WHERE secret_key_id <> $1',
      [activeKeyId],
    );
    return row?.n ?? 0;
  }
}

/** One admin change of one device: when, by whom, within which branches. */
export interface DeviceChange {
  deviceId: string;
  at: Date;
  actor: Actor;
  scope: BranchScope;
}

/** $1 device id, $2 time, $3-$5 actor, $6 scope. */
function changeParams(change: DeviceChange): unknown[] {
  const { deviceId, at, actor, scope } = change;
  return [deviceId, at, actor.kind, actor.subject, actor.name, scopeParam(scope)];
}

/** The actor ($3-$5) replaces the last one only when `condition` (evaluated on the old row) says something changes. */
function UPDATED_BY_IF(condition: string): string {
  return `updated_by_kind = CASE WHEN ${condition} THEN $3 ELSE updated_by_kind END,
                updated_by_subject = CASE WHEN ${condition} THEN $4 ELSE updated_by_subject END,
                updated_by_name = CASE WHEN ${condition} THEN $5 ELSE updated_by_name END`;
}

function toRecord(row: DeviceRow): DeviceRecord {
  return {
    deviceId: row.device_id,
    taxNo: row.tax_no,
    branchId: row.branch_id,
    name: row.name,
    deviceNo: row.device_no,
    status: row.status,
    sealed: {
      keyId: row.secret_key_id,
      iv: row.secret_iv,
      ciphertext: row.secret_ciphertext,
      tag: row.secret_tag,
    },
    secretRotatedAt: row.secret_rotated_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    disabledAt: row.disabled_at,
    updatedBy:
      row.updated_by_kind && row.updated_by_subject
        ? { kind: row.updated_by_kind, subject: row.updated_by_subject, name: row.updated_by_name ?? '' }
        : null,
  };
}
