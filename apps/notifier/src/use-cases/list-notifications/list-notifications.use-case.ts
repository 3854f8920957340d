import { Injectable } from '@nestjs/common';
import { AppError } from '@lib/common';
import { NotificationRow } from '../../notifications/notification.model';
import { NotificationFilter, NotificationRepository } from '../../notifications/notification.repository';

/** The delivery log, oldest first, by finding, recipient, status and channel; cursor = last id seen. */
@Injectable()
export class ListNotificationsUseCase {
  constructor(private readonly notifications: NotificationRepository) {}

  async list(filter: NotificationFilter): Promise<{ items: NotificationRow[]; nextCursor: string | null }> {
    const items = await this.notifications.list(filter);
    return { items, nextCursor: items.length === filter.limit ? String(items[items.length - 1].id) : null };
  }

  async get(id: string): Promise<NotificationRow> {
    const row = await this.notifications.get(id);
    if (!row) throw new AppError('NOTIFICATION_NOT_FOUND', 'not_found', `notification ${id} does not exist`);
    return row;
  }
}
