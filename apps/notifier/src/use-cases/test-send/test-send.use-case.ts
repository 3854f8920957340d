import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppError, CLOCK, Clock } from '@lib/common';
import { NotificationChannel } from '@lib/notifications';
import { NotificationRow } from '../../notifications/notification.model';
import { NotificationRepository } from '../../notifications/notification.repository';
import { RecipientRepository } from '../../routing/recipient.repository';

/**
 * Queues a test message to a recipient on one channel, through the same queue, sender and provider as
 * real alerts (no quiet hours or rate limit), so "it works" means the real path works.
 */
@Injectable()
export class TestSendUseCase {
  constructor(
    private readonly recipients: RecipientRepository,
    private readonly notifications: NotificationRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(recipientId: string, channel: NotificationChannel): Promise<NotificationRow> {
    const recipient = await this.recipients.get(recipientId);
    if (!recipient)
      throw new AppError('RECIPIENT_NOT_FOUND', 'not_found', `recipient ${recipientId} does not exist`);
    const destination = channel === 'email' ? recipient.email : recipient.mobile;
    if (!destination)
      throw new AppError(
        'NO_ADDRESS',
        'validation',
        `recipient ${recipientId} has no ${channel === 'email' ? 'email' : 'mobile'}`,
      );
    const now = this.clock.now();
    const [id] = await this.notifications.insert(
      this.recipients.manager,
      [
        {
          dedupeKey: `test:${randomUUID()}`,
          kind: 'test',
          channel,
          recipientId,
          destination,
          language: recipient.language,
          findingId: null,
          severity: null,
          level: null,
          status: 'queued',
          dueAt: now,
        },
      ],
      now,
    );
    return (await this.notifications.get(id)) as NotificationRow;
  }
}
