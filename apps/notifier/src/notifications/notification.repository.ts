import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { NotificationChannel, ProviderReceipt } from '@lib/notifications';
import { queryRows, returningRows } from '@lib/persistence';
import { messageRefOf, NotificationDraft, NotificationRow } from './notification.model';

/** The notifications table: recording, outcomes and the delivery log. */
@Injectable()
export class NotificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records drafts; a key already recorded (redelivery, replay) is skipped. Returns the ids inserted. */
  async insert(manager: EntityManager, drafts: NotificationDraft[], now: Date): Promise<string[]> {
    if (drafts.length === 0) return [];
    const rows = await queryRows<{ id: string }>(
      manager,
      `INSERT INTO notifications (dedupe_key, message_ref, kind, channel, recipient_id, destination, language, finding_id,
                                  severity, level, status, due_at, created_at, updated_at)
       SELECT k, r, kind, ch, rid, dest, lang, fid, sev, lvl, st, due, $13, $13
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                     $9::text[], $10::smallint[], $11::text[], $12::timestamptz[])
              AS t(k, r, kind, ch, rid, dest, lang, fid, sev, lvl, st, due)
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [
        drafts.map((d) => d.dedupeKey),
        drafts.map((d) => messageRefOf(d.dedupeKey)),
        drafts.map((d) => d.kind),
        drafts.map((d) => d.channel),
        drafts.map((d) => d.recipientId),
        drafts.map((d) => d.destination),
        drafts.map((d) => d.language),
        drafts.map((d) => d.findingId),
        drafts.map((d) => d.severity),
        drafts.map((d) => d.level),
        drafts.map((d) => d.status),
        drafts.map((d) => d.dueAt),
        now,
      ],
    );
    return rows.map((r) => String(r.id));
  }

  /** Whether anything was recorded about `findingId` (a finding, a sync problem, a dead-letter window). */
  async existsFor(manager: EntityManager, findingId: string): Promise<boolean> {
    const rows = await queryRows<{ one: number }>(
      manager,
      'SELECT 1 AS one FROM notifications WHERE finding_id = $1 LIMIT 1',
      [findingId],
    );
    return rows.length > 0;
  }

  async get(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<NotificationRow | undefined> {
    return (await queryRows<NotificationRow>(manager, 'SELECT * FROM notifications WHERE id = $1', [id]))[0];
  }

  async markSent(id: string, receipt: ProviderReceipt, segments: number | null, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET status = 'sent', attempts = attempts + 1, provider = $2, provider_message_id = $3,
              provider_response = $4, segments = $5, sent_at = $6, updated_at = $6, last_error_code = NULL, last_error = NULL
        WHERE id = $1`,
      [
        id,
        receipt.provider,
        receipt.providerMessageId,
        receipt.response?.slice(0, 500) ?? null,
        segments,
        now,
      ],
    );
  }

  /** Due again at `dueAt`; `countAttempt` false for waits that are not failures (quiet hours, rate limit, open breaker). */
  async reschedule(
    id: string,
    dueAt: Date,
    now: Date,
    countAttempt: boolean,
    error?: { code: string; message: string },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET status = 'queued', due_at = $2, updated_at = $3, attempts = attempts + $4::int,
              last_error_code = COALESCE($5, last_error_code), last_error = COALESCE($6, last_error)
        WHERE id = $1`,
      [id, dueAt, now, countAttempt ? 1 : 0, error?.code ?? null, error?.message.slice(0, 500) ?? null],
    );
  }

  /** A final state other than sent: failed, unknown (held for a person) or cancelled. */
  async finish(
    id: string,
    status: 'failed' | 'unknown' | 'cancelled',
    now: Date,
    error: { code: string; message: string },
    countAttempt = true,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET status = $2, updated_at = $3, attempts = attempts + $6::int, last_error_code = $4, last_error = $5
        WHERE id = $1`,
      [id, status, now, error.code, error.message.slice(0, 500), countAttempt ? 1 : 0],
    );
  }

  /** Puts a held or failed notification back in the queue (admin resend), in the caller's transaction. */
  async requeue(manager: EntityManager, id: string, now: Date): Promise<NotificationRow | undefined> {
    const rows = await returningRows<NotificationRow>(
      manager,
      `UPDATE notifications SET status = 'queued', due_at = $2, updated_at = $2, attempts = 0
        WHERE id = $1 AND status IN ('failed', 'unknown') RETURNING *`,
      [id, now],
    );
    return rows[0];
  }

  /** Send times of one recipient on one channel since `since` (rate limits; `sending` counts as sent). */
  async recentSends(
    recipientId: string,
    channel: NotificationChannel,
    since: Date,
    excludeId: string,
  ): Promise<Date[]> {
    const rows = await queryRows<{ at: Date }>(
      this.dataSource.manager,
      `SELECT COALESCE(sent_at, updated_at) AS at FROM notifications
        WHERE recipient_id = $1 AND channel = $2 AND id <> $4 AND kind <> 'test'
          AND ((status = 'sent' AND sent_at > $3) OR status = 'sending')`,
      [recipientId, channel, since, excludeId],
    );
    return rows.map((r) => new Date(r.at));
  }
}
