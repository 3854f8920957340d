import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { NotificationChannel } from '@lib/notifications';
import { queryOne, queryRows } from '@lib/persistence';
import { BranchScope, scopeParam } from '@lib/platform';
import { NotificationRow, NotificationStatus } from './notification.model';
import { RecipientRepository } from '../routing/recipient.repository';
import { Recipient } from '../routing/routing.model';

/** A delivery log entry with the branch and taxpayer of the finding it is about (null for tests, digests of sync problems and dead letters). */
export type ScopedNotificationRow = NotificationRow & { branch_id: string | null; tax_no: string | null };

/**
 * The branch a notification belongs to is its finding's (the notifier's `findings` table keeps each finding's branch).
 * A caller limited to branches sees only notifications about findings of those branches; notifications without a
 * branch (test sends, sync problems, dead-letter alerts, digests) are for all-branch callers only. A recipient is
 * visible to such a caller when one of its scopes names one of the caller's branches.
 */
const BRANCH_OF = `LEFT JOIN findings f ON f.finding_id = n.finding_id`;
const IN_SCOPE = (n: number) => `($${n}::text[] IS NULL OR f.branch_id = ANY($${n}::text[]))`;

export interface NotificationQuery {
  findingId?: string;
  recipientId?: string;
  status?: NotificationStatus;
  channel?: NotificationChannel;
  branchId?: string;
  cursor?: string;
  limit: number;
}

@Injectable()
export class ScopedReadsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly recipientRepo: RecipientRepository,
  ) {}

  async notifications(
    q: NotificationQuery,
    scope: BranchScope,
  ): Promise<{ items: ScopedNotificationRow[]; nextCursor: string | null }> {
    const items = await queryRows<ScopedNotificationRow>(
      this.dataSource.manager,
      `SELECT n.*, f.branch_id, f.tax_no FROM notifications n ${BRANCH_OF}
        WHERE ($1::text IS NULL OR n.finding_id = $1) AND ($2::text IS NULL OR n.recipient_id = $2)
          AND ($3::text IS NULL OR n.status = $3) AND ($4::text IS NULL OR n.channel = $4)
          AND ($5::bigint IS NULL OR n.id > $5) AND ${IN_SCOPE(7)} AND ($8::text IS NULL OR f.branch_id = $8)
        ORDER BY n.id LIMIT $6`,
      [
        q.findingId ?? null,
        q.recipientId ?? null,
        q.status ?? null,
        q.channel ?? null,
        q.cursor ?? null,
        q.limit,
        scopeParam(scope),
        q.branchId ?? null,
      ],
    );
    return { items, nextCursor: items.length === q.limit ? String(items[items.length - 1].id) : null };
  }

  /** One notification inside the scope (locked when `forUpdate`), or undefined, whether unknown or outside. */
  notification(
    id: string,
    scope: BranchScope,
    manager: EntityManager = this.dataSource.manager,
    forUpdate = false,
  ): Promise<ScopedNotificationRow | undefined> {
    return queryOne<ScopedNotificationRow>(
      manager,
      `SELECT n.*, f.branch_id, f.tax_no FROM notifications n ${BRANCH_OF}
        WHERE n.id = $1 AND ${IN_SCOPE(2)} ${forUpdate ? 'FOR UPDATE OF n' : ''}`,
      [id, scopeParam(scope)],
    );
  }

  /**
   * Recipients matching the filter that the scope may see, both in one query: for a caller limited to branches, only
   * recipients with a scope naming one of those branches.
   */
  async recipients(
    filter: { taxNo?: string; branchId?: string },
    scope: BranchScope,
    id?: string,
  ): Promise<Recipient[]> {
    const ids = await queryRows<{ id: string }>(
      this.dataSource.manager,
      `SELECT r.id FROM recipients r
        WHERE ($1::text IS NULL OR EXISTS (SELECT 1 FROM recipient_scopes s WHERE s.recipient_id = r.id
                     AND s.tax_no IN ($1, '*') AND ($2::text IS NULL OR s.branch_id IN ($2, '*'))))
          AND ($3::text[] IS NULL OR EXISTS (SELECT 1 FROM recipient_scopes s WHERE s.recipient_id = r.id
                     AND s.branch_id = ANY($3::text[])))
          AND ($4::text IS NULL OR r.id = $4)
        ORDER BY r.name, r.id LIMIT 1000`,
      [filter.taxNo ?? null, filter.branchId ?? null, scopeParam(scope), id ?? null],
    );
    const found = await Promise.all(ids.map((row) => this.recipientRepo.get(row.id)));
    return found.filter((r): r is Recipient => r !== undefined);
  }

  async recipient(id: string, scope: BranchScope): Promise<Recipient | undefined> {
    return (await this.recipients({}, scope, id))[0];
  }
}
