import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { queryRows, returningRows } from '@lib/persistence';
import { Language, Recipient, RecipientScope } from './routing.model';

interface RecipientRow {
  id: string;
  name: string;
  email: string | null;
  mobile: string | null;
  wecom_robot: string | null;
  dingtalk_robot: string | null;
  feishu_robot: string | null;
  language: Language;
  quiet_start: string | null;
  quiet_end: string | null;
  active: boolean;
  created_at: Date;
  updated_at: Date;
  scopes: { taxNo: string; branchId: string; level: number }[] | null;
}

const SELECT = `
  SELECT r.*, (SELECT json_agg(json_build_object('taxNo', s.tax_no, 'branchId', s.branch_id, 'level', s.level)
                                ORDER BY s.level, s.tax_no, s.branch_id)
                 FROM recipient_scopes s WHERE s.recipient_id = r.id) AS scopes
    FROM recipients r`;

function toRecipient(row: RecipientRow): Recipient {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    mobile: row.mobile,
    robots: { wecom: row.wecom_robot, dingtalk: row.dingtalk_robot, feishu: row.feishu_robot },
    language: row.language,
    quietHours: row.quiet_start && row.quiet_end ? { start: row.quiet_start, end: row.quiet_end } : null,
    active: row.active,
    scopes: row.scopes ?? [],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Recipients and where each is responsible. */
@Injectable()
export class RecipientRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Everyone who could be responsible for a taxpayer's finding (any branch, any level). */
  async forTaxNo(taxNo: string, manager: EntityManager = this.dataSource.manager): Promise<Recipient[]> {
    const rows = await queryRows<RecipientRow>(
      manager,
      `${SELECT} WHERE r.active AND EXISTS (SELECT 1 FROM recipient_scopes s WHERE s.recipient_id = r.id AND s.tax_no IN ($1, '*'))`,
      [taxNo],
    );
    return rows.map(toRecipient);
  }

  /** Every taxpayer somebody active is responsible for (`*` included): whom a notice about all taxpayers reaches. */
  async scopedTaxNos(manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows = await queryRows<{ tax_no: string }>(
      manager,
      `SELECT DISTINCT s.tax_no FROM recipient_scopes s JOIN recipients r ON r.id = s.recipient_id WHERE r.active ORDER BY s.tax_no`,
      [],
    );
    return rows.map((r) => r.tax_no);
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<Recipient | undefined> {
    const rows = await queryRows<RecipientRow>(manager, `${SELECT} WHERE r.id = $1`, [id]);
    return rows[0] ? toRecipient(rows[0]) : undefined;
  }

  /** Inserts or replaces a recipient and its scopes, in the caller's transaction. */
  async save(manager: EntityManager, recipient: Recipient): Promise<void> {
    await manager.query(
      `INSERT INTO recipients (id, name, email, mobile, language, quiet_start, quiet_end, active, created_at, updated_at,
                               wecom_robot, dingtalk_robot, feishu_robot)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (id) DO UPDATE SET name = $2, email = $3, mobile = $4, language = $5, quiet_start = $6,
                                      quiet_end = $7, active = $8, updated_at = $10, wecom_robot = $11,
                                      dingtalk_robot = $12, feishu_robot = $13`,
      [
        recipient.id,
        recipient.name,
        recipient.email,
        recipient.mobile,
        recipient.language,
        recipient.quietHours?.start ?? null,
        recipient.quietHours?.end ?? null,
        recipient.active,
        recipient.createdAt,
        recipient.updatedAt,
        recipient.robots?.wecom ?? null,
        recipient.robots?.dingtalk ?? null,
        recipient.robots?.feishu ?? null,
      ],
    );
    await manager.query('DELETE FROM recipient_scopes WHERE recipient_id = $1', [recipient.id]);
    await this.insertScopes(manager, recipient.id, recipient.scopes);
  }

  /** Deletes a recipient (their delivery log stays); the name it had, or undefined when there was none. */
  async remove(manager: EntityManager, id: string): Promise<string | undefined> {
    const rows = await returningRows<{ name: string }>(
      manager,
      'DELETE FROM recipients WHERE id = $1 RETURNING name',
      [id],
    );
    return rows[0]?.name;
  }

  private async insertScopes(manager: EntityManager, id: string, scopes: RecipientScope[]): Promise<void> {
    if (scopes.length === 0) return;
    await manager.query(
      `INSERT INTO recipient_scopes (recipient_id, tax_no, branch_id, level)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::smallint[]) ON CONFLICT DO NOTHING`,
      [id, scopes.map((s) => s.taxNo), scopes.map((s) => s.branchId), scopes.map((s) => s.level)],
    );
  }
}
