import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { NotificationChannel } from '@lib/notifications';
import { queryRows, returningRows } from '@lib/persistence';
import { ClaimedNotification, NotificationRow } from './notification.model';

export interface QueueStats {
  channel: NotificationChannel;
  queued: number;
  due: number;
  oldestDueAgeSeconds: number;
}

/**
 * The sender's queue. A claim takes due rows of one channel with SKIP LOCKED (any number of replicas
 * never take the same row) and commits at once as `sending` with a lease: the provider call happens outside
 * any transaction. A row still `sending` after its lease had its sender die mid-call.
 */
@Injectable()
export class NotificationQueueRepository {
  constructor(private readonly dataSource: DataSource) {}

  async claimDue(
    channel: NotificationChannel,
    limit: number,
    now: Date,
    leaseMs: number,
  ): Promise<ClaimedNotification[]> {
    const rows = await returningRows<NotificationRow & { previous_status: string }>(
      this.dataSource.manager,
      `WITH picked AS (
         SELECT id, status AS previous_status FROM notifications
          WHERE channel = $1 AND status IN ('queued', 'sending') AND due_at <= $2
          ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       UPDATE notifications n
          SET status = 'sending', claims = n.claims + 1, updated_at = $2,
              due_at = $2::timestamptz + make_interval(secs => $4::float8 / 1000)
         FROM picked WHERE n.id = picked.id
       RETURNING n.*, picked.previous_status`,
      [channel, now, limit, leaseMs],
    );
    return rows.map(({ previous_status, ...row }) => ({
      ...row,
      id: String(row.id),
      wasSending: previous_status === 'sending',
    }));
  }

  /**
   * Recipients whose low-severity notifications wait for a digest window that has ended, locked (SKIP LOCKED)
   * in the caller's transaction so two replicas never build the same digest.
   */
  async lockClosedDigestItems(
    manager: EntityManager,
    now: Date,
    intervalMs: number,
    limit: number,
  ): Promise<NotificationRow[]> {
    return queryRows<NotificationRow>(
      manager,
      `SELECT * FROM notifications
        WHERE status = 'pending_digest'
          AND to_timestamp((floor(extract(epoch FROM created_at) * 1000 / $2) + 1) * $2 / 1000) <= $1
        ORDER BY recipient_id, id LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [now, intervalMs, limit],
    );
  }

  async attachToDigest(
    manager: EntityManager,
    itemIds: string[],
    digestId: string,
    now: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE notifications SET status = 'digested', digest_id = $2, updated_at = $3 WHERE id = ANY($1::bigint[])`,
      [itemIds, digestId, now],
    );
  }

  async digestItems(digestId: string): Promise<NotificationRow[]> {
    return queryRows<NotificationRow>(
      this.dataSource.manager,
      'SELECT * FROM notifications WHERE digest_id = $1 ORDER BY id',
      [digestId],
    );
  }

  async stats(now: Date): Promise<QueueStats[]> {
    const rows = await queryRows<{
      channel: NotificationChannel;
      queued: string;
      due: string;
      oldest: Date | null;
    }>(
      this.dataSource.manager,
      `SELECT channel, count(*) AS queued, count(*) FILTER (WHERE due_at <= $1) AS due,
              min(due_at) FILTER (WHERE due_at <= $1) AS oldest
         FROM notifications WHERE status IN ('queued', 'sending', 'pending_digest') GROUP BY channel`,
      [now],
    );
    return rows.map((r) => ({
      channel: r.channel,
      queued: Number(r.queued),
      due: Number(r.due),
      oldestDueAgeSeconds: r.oldest ? Math.max(0, (now.getTime() - new Date(r.oldest).getTime()) / 1000) : 0,
    }));
  }
}
