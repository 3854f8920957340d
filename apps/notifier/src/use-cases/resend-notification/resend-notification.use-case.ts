import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, CLOCK, Clock } from '@lib/common';
import { actorOf, AuditLog, Principal } from '@lib/platform';
import { ScopedReadsRepository } from '../../notifications/scoped-reads.repository';
import { NotificationRow } from '../../notifications/notification.model';
import { NotificationRepository } from '../../notifications/notification.repository';
import { notificationNotFound } from '../../notifier.exception';
import { NotifierErrorCode } from '../../notifier-error-codes';

/**
 * A person decides to send a failed or held (outcome unknown) notification again. The resend carries the
 * same Message-ID / OutId, so a mail client or the SMS provider can still recognise a duplicate. One outside the
 * caller's branches answers like an unknown id; the requeue and its audit entry commit together.
 */
@Injectable()
export class ResendNotificationUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reads: ScopedReadsRepository,
    private readonly notifications: NotificationRepository,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(id: string, principal: Principal): Promise<NotificationRow> {
    const now = this.clock.now();
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      const found = await this.reads.notification(id, principal.scope, manager, true);
      if (!found) throw notificationNotFound(id);
      const row = await this.notifications.requeue(manager, id, now);
      if (!row)
        throw new AppError(
          NotifierErrorCode.NOT_RESENDABLE,
          'conflict',
          `notification ${id} is ${found.status}; only failed or unknown ones can be resent`,
        );
      await this.audit.record(manager, {
        at: now,
        actor,
        action: 'notification.resend',
        targetType: 'notification',
        targetId: id,
        branchId: found.branch_id,
        taxNo: found.tax_no,
        detail: { previousStatus: found.status, channel: found.channel, findingId: found.finding_id },
      });
      return row;
    });
  }
}
