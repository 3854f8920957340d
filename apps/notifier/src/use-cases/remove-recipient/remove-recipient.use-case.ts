import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@lib/common';
import { actorOf, AuditLog, Principal } from '@lib/platform';
import { recipientNotFound } from '../../notifier.exception';
import { RecipientRepository } from '../../routing/recipient.repository';

/** Removes a recipient; their delivery log stays (recipient id cleared). Audited in the same transaction. */
@Injectable()
export class RemoveRecipientUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly recipients: RecipientRepository,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(id: string, principal: Principal): Promise<void> {
    const at = this.clock.now();
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      const name = await this.recipients.remove(manager, id);
      if (name === undefined) throw recipientNotFound(id);
      await this.audit.record(manager, {
        at,
        actor,
        action: 'recipient.delete',
        targetType: 'recipient',
        targetId: id,
        detail: { name },
      });
    });
  }
}
