import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '@lib/common';
import { digestKey, NotificationRow } from '../../notifications/notification.model';
import { NotificationQueueRepository } from '../../notifications/notification-queue.repository';
import { NotificationRepository } from '../../notifications/notification.repository';
import { NotifierConfig } from '../../notifier.config';
import { NOTIFIER_CONFIG } from '../../notifier.tokens';
import { queryRows } from '@lib/persistence';

const BATCH = 1000;

/**
 * Low-severity notifications wait as `pending_digest`. When their window (NOTIFIER_DIGEST_INTERVAL_MS,
 * aligned to the epoch: hourly windows start on the hour) has ended, each recipient's items of that window
 * become one digest per channel (an email, a group-robot message), queued like any notification. Items are locked with SKIP LOCKED, and the digest
 * key (recipient, window) is unique, so replicas cannot build two digests of the same items.
 */
@Injectable()
export class FlushDigestsUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: NotificationQueueRepository,
    private readonly notifications: NotificationRepository,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Returns how many digests were queued. */
  async execute(): Promise<number> {
    const now = this.clock.now();
    const interval = this.config.NOTIFIER_DIGEST_INTERVAL_MS;
    return this.dataSource.transaction(async (manager) => {
      const items = await this.queue.lockClosedDigestItems(manager, now, interval, BATCH);
      const groups = new Map<string, NotificationRow[]>();
      for (const item of items) {
        const bucket = new Date(Math.floor(new Date(item.created_at).getTime() / interval) * interval);
        const key = digestKey(item.recipient_id ?? item.destination, bucket, item.channel);
        groups.set(key, [...(groups.get(key) ?? []), item]);
      }
      for (const [key, group] of groups) await this.queueDigest(manager, key, group, now);
      return groups.size;
    });
  }

  private async queueDigest(
    manager: EntityManager,
    key: string,
    items: NotificationRow[],
    now: Date,
  ): Promise<void> {
    const first = items[0];
    await this.notifications.insert(
      manager,
      [
        {
          dedupeKey: key,
          kind: 'digest',
          channel: first.channel,
          recipientId: first.recipient_id,
          destination: first.destination,
          language: first.language,
          findingId: null,
          severity: 'info',
          level: first.level,
          status: 'queued',
          dueAt: now,
        },
      ],
      now,
    );
    const [digest] = await queryRows<{ id: string }>(
      manager,
      'SELECT id FROM notifications WHERE dedupe_key = $1',
      [key],
    );
    await this.queue.attachToDigest(
      manager,
      items.map((i) => i.id),
      String(digest.id),
      now,
    );
  }
}
