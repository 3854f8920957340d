import { Inject, Injectable } from '@nestjs/common';
import { AppError, CLOCK, Clock } from '@lib/common';
import { NotificationRow } from '../../notifications/notification.model';
import { NotificationRepository } from '../../notifications/notification.repository';

/**
 * A person decides to send a failed or held (outcome unknown) notification again. The resend carries the
 * same Message-ID / OutId, so a mail client or the SMS provider can still recognise a duplicate.
 */
@Injectable()
export class ResendNotificationUseCase {
  constructor(
    private readonly notifications: NotificationRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(id: string): Promise<NotificationRow> {
    const row = await this.notifications.requeue(id, this.clock.now());
    if (row) return row;
    const existing = await this.notifications.get(id);
    if (!existing)
      throw new AppError('NOTIFICATION_NOT_FOUND', 'not_found', `notification ${id} does not exist`);
    throw new AppError(
      'NOT_RESENDABLE',
      'conflict',
      `notification ${id} is ${existing.status}; only failed or unknown ones can be resent`,
    );
  }
}
