import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { queryOne, queryRows } from '@lib/persistence';
import { BranchScope, scopeParam } from '@lib/platform';
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
  hosted_on: string | null;
  status_reason: string | null;
  status_changed_at: Date | null;
  replaced_by: string | null;
  activated_on: string | null;
  announced_at: Date | null;
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
  secret_rotated_at, created_at, updated_at, disabled_at, updated_by_kind, updated_by_subject, updated_by_name,
  hosted_on, status_reason, status_changed_at, replaced_by, activated_on, announced_at`;

/** What is read: a date column comes back as its text (node-postgres would make a local-time Date of it). */
const SELECTED = COLUMNS.replace('activated_on', 'activated_on::text AS activated_on');

/** `AND` clause limiting rows to a branch scope; `$n` is `scopeParam(scope)`. */
const inScope = (n: number) => `($${n}::text[] IS NULL OR branch_id = ANY($${n}::text[]))`;

/** SQL for the device registry. */
@Injectable()
export class DevicesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, device: DeviceRecord): Promise<void> {
    const { sealed } = device;
    await manager.query(
      `INSERT INTO devices (${COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
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
        device.hostedOn,
        device.statusReason,
        device.statusChangedAt,
        device.replacedBy,
        device.activatedOn,
        device.announcedAt,
      ],
    );
  }

  /** The device when it exists and is inside the scope; otherwise undefined, whichever the reason. */
  async findById(deviceId: string, scope: BranchScope): Promise<DeviceRecord | undefined> {
    const row = await queryOne<DeviceRow>(
      this.dataSource.manager,
      `SELECT ${SELECTED} FROM devices WHERE device_id = $1 AND ${inScope(2)}`,
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
    const sql = `SELECT ${SELECTED} FROM devices WHERE ${where.join(' AND ')}
      ORDER BY created_at, device_id LIMIT $${params.push(query.limit)}`;
    return (await queryRows<DeviceRow>(this.dataSource.manager, sql, params)).map(toRecord);
  }

  /**
   * The device, locked until the transaction ends, when it exists and is inside the scope. Every change reads the
   * device through it, so two changes of one device (and the announcer) follow each other instead of overlapping.
   */
  async lockById(
    manager: EntityManager,
    deviceId: string,
    scope: BranchScope,
  ): Promise<DeviceRecord | undefined> {
    const row = await queryOne<DeviceRow>(
      manager,
      `SELECT ${SELECTED} FROM devices WHERE device_id = $1 AND ${inScope(2)} FOR UPDATE`,
      [deviceId, scopeParam(scope)],
    );
    return row && toRecord(row);
  }

  /** Writes what a change may alter of a device read with lockById. */
  async save(manager: EntityManager, device: DeviceRecord): Promise<void> {
    const { sealed, updatedBy } = device;
    await manager.query(
      `UPDATE devices SET device_no = $2, status = $3, status_reason = $4, status_changed_at = $5, hosted_on = $6,
              replaced_by = $7, secret_key_id = $8, secret_iv = $9, secret_ciphertext = $10, secret_tag = $11,
              secret_rotated_at = $12, updated_at = $13, disabled_at = $14, updated_by_kind = $15,
              updated_by_subject = $16, updated_by_name = $17, announced_at = $18
        WHERE device_id = $1`,
      [
        device.deviceId,
        device.deviceNo,
        device.status,
        device.statusReason,
        device.statusChangedAt,
        device.hostedOn,
        device.replacedBy,
        sealed.keyId,
        sealed.iv,
        sealed.ciphertext,
        sealed.tag,
        device.secretRotatedAt,
        device.updatedAt,
        device.disabledAt,
        updatedBy?.kind ?? null,
        updatedBy?.subject ?? null,
        updatedBy?.name ?? null,
        device.announcedAt,
      ],
    );
  }

  /** Devices whose view was never published, locked for announcing (another replica skips them). */
  async lockUnannounced(manager: EntityManager, limit: number): Promise<DeviceRecord[]> {
    const rows = await queryRows<DeviceRow>(
      manager,
      `SELECT ${SELECTED} FROM devices WHERE announced_at IS NULL
        ORDER BY device_id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map(toRecord);
  }

  async markAnnounced(manager: EntityManager, deviceIds: string[], at: Date): Promise<void> {
    await manager.query('UPDATE devices SET announced_at = $2 WHERE device_id = ANY($1::text[])', [
      deviceIds,
      at,
    ]);
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
      `SELECT ${SELECTED} FROM devices WHERE secret_key_id <> $1 AND device_id > $2
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
    hostedOn: row.hosted_on,
    statusReason: row.status_reason,
    statusChangedAt: row.status_changed_at,
    replacedBy: row.replaced_by,
    activatedOn: row.activated_on,
    announcedAt: row.announced_at,
  };
}
