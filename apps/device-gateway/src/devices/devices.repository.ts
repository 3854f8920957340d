import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { queryOne, queryRows } from '@lib/persistence';
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
}

export interface DeviceListQuery {
  taxNo?: string;
  branchId?: string;
  /** Keyset position: the last row of the previous page. */
  after?: { createdAt: Date; deviceId: string };
  limit: number;
}

const COLUMNS = `device_id, tax_no, branch_id, name, device_no, status, secret_key_id, secret_iv, secret_ciphertext, secret_tag,
  secret_rotated_at, created_at, updated_at, disabled_at`;

/**
 * SQL for the device registry. UPDATE ... RETURNING is wrapped in a CTE: TypeORM answers a bare UPDATE with
 * [rows, rowCount] instead of the rows.
 */
@Injectable()
export class DevicesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(device: DeviceRecord): Promise<void> {
    const { sealed } = device;
    await this.dataSource.query(
      `INSERT INTO devices (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
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
      ],
    );
  }

  async findById(deviceId: string): Promise<DeviceRecord | undefined> {
    const row = await queryOne<DeviceRow>(
      this.dataSource.manager,
      `SELECT ${COLUMNS} FROM devices WHERE device_id = $1`,
      [deviceId],
    );
    return row && toRecord(row);
  }

  async list(query: DeviceListQuery): Promise<DeviceRecord[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (query.taxNo !== undefined) where.push(`tax_no = $${params.push(query.taxNo)}`);
    if (query.branchId !== undefined) where.push(`branch_id = $${params.push(query.branchId)}`);
    if (query.after) {
      where.push(
        `(created_at, device_id) > ($${params.push(query.after.createdAt)}, $${params.push(query.after.deviceId)})`,
      );
    }
    const sql = `SELECT ${COLUMNS} FROM devices ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at, device_id LIMIT $${params.push(query.limit)}`;
    return (await queryRows<DeviceRow>(this.dataSource.manager, sql, params)).map(toRecord);
  }

  /** Idempotent: a disabled device keeps its first disabled_at. */
  async disable(deviceId: string, at: Date): Promise<DeviceRecord | undefined> {
    const row = await queryOne<DeviceRow>(
      this.dataSource.manager,
      `WITH changed AS (
         UPDATE devices SET status = 'disabled', disabled_at = COALESCE(disabled_at, $2),
                updated_at = CASE WHEN status = 'disabled' THEN updated_at ELSE $2 END
          WHERE device_id = $1 RETURNING ${COLUMNS})
       SELECT * FROM changed`,
      [deviceId, at],
    );
    return row && toRecord(row);
  }

  /** Sets or replaces (null: forgets) the authority number; updated_at moves only when it changes. */
  async setDeviceNo(deviceId: string, deviceNo: string | null, at: Date): Promise<DeviceRecord | undefined> {
    const row = await queryOne<DeviceRow>(
      this.dataSource.manager,
      `WITH changed AS (
         UPDATE devices SET device_no = $2,
                updated_at = CASE WHEN device_no IS NOT DISTINCT FROM $2 THEN updated_at ELSE $3 END
          WHERE device_id = $1 RETURNING ${COLUMNS})
       SELECT * FROM changed`,
      [deviceId, deviceNo, at],
    );
    return row && toRecord(row);
  }

  async replaceSecret(deviceId: string, sealed: SealedSecret, at: Date): Promise<DeviceRecord | undefined> {
    const row = await queryOne<DeviceRow>(
      this.dataSource.manager,
      `WITH changed AS (
         UPDATE devices SET secret_key_id = $2, secret_iv = $3, secret_ciphertext = $4, secret_tag = $5,
                secret_rotated_at = $6, updated_at = $6
          WHERE device_id = $1 RETURNING ${COLUMNS})
       SELECT * FROM changed`,
      [deviceId, sealed.keyId, sealed.iv, sealed.ciphertext, sealed.tag, at],
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

  async countSealedUnderOtherKeys(activeKeyId: string): Promise<number> {
    const row = await queryOne<{ n: number }>(
      this.dataSource.manager,
      'SELECT count(*)::int AS n FROM devices WHERE secret_key_id <> $1',
      [activeKeyId],
    );
    return row?.n ?? 0;
  }
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
  };
}
