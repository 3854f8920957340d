import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, CLOCK, Clock, ID_SOURCE, IdSource } from '@lib/common';
import { NotificationChannel } from '@lib/notifications';
import { actorOf, AuditLog, Principal } from '@lib/platform';
import { NotificationRow } from '../../notifications/notification.model';
import { NotificationRepository } from '../../notifications/notification.repository';
import { recipientNotFound } from '../../notifier.exception';
import { destinationOf } from '../../routing/routing.model';
import { RecipientRepository } from '../../routing/recipient.repository';
import { NotifierErrorCode } from '../../notifier-error-codes';

/**
 * Queues a test message to a recipient on one channel, through the same queue, sender and provider as
 * real alerts (no quiet hours or rate limit), so "it works" means the real path works. Audited in the same transaction.
 */
@Injectable()
export class TestSendUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly recipients: RecipientRepository,
    private readonly notifications: NotificationRepository,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
  ) {}

  execute(recipientId: string, channel: NotificationChannel, principal: Principal): Promise<NotificationRow> {
    const now = this.clock.now();
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      const recipient = await this.recipients.get(recipientId, manager);
      if (!recipient) throw recipientNotFound(recipientId);
      const destination = destinationOf(recipient, channel);
      if (!destination) {
        const what = channel === 'email' ? 'email' : channel === 'sms' ? 'mobile' : `${channel} robot`;
        throw new AppError(
          NotifierErrorCode.NO_ADDRESS,
          'validation',
          `recipient ${recipientId} has no ${what}`,
        );
      }
      const [id] = await this.notifications.insert(
        manager,
        [
          {
            dedupeKey: `test:${this.ids.uuid()}`,
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
      await this.audit.record(manager, {
        at: now,
        actor,
        action: 'notification.test-send',
        targetType: 'notification',
        targetId: id,
        detail: { recipientId, channel },
      });
      return (await this.notifications.get(id, manager)) as NotificationRow;
    });
  }
}
