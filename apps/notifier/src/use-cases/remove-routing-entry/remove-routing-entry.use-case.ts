import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '@lib/common';
import { actorOf, AuditLog, Principal } from '@lib/platform';
import { recipientNotFound, ruleNotFound } from '../../notifier.exception';
import { RecipientRepository } from '../../routing/recipient.repository';
import { RuleRepository } from '../../routing/rule.repository';

/** What one removal deletes and how it is told: the audit's target type and the error when nothing was there. */
interface Removal {
  targetType: 'recipient' | 'rule';
  /** Deletes the row; undefined when there was none, else the detail the audit entry keeps. */
  remove(manager: EntityManager): Promise<Record<string, unknown> | undefined>;
  notFound(): Error;
}

/**
 * Removes a routing entry (a recipient or a rule) and records who did it in the same transaction. A removed
 * recipient's delivery log stays, with the recipient id cleared.
 */
@Injectable()
export class RemoveRoutingEntryUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly recipients: RecipientRepository,
    private readonly rules: RuleRepository,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  recipient(id: string, principal: Principal): Promise<void> {
    return this.removeAudited(id, principal, {
      targetType: 'recipient',
      remove: async (manager) => {
        const name = await this.recipients.remove(manager, id);
        return name === undefined ? undefined : { name };
      },
      notFound: () => recipientNotFound(id),
    });
  }

  rule(id: string, principal: Principal): Promise<void> {
    return this.removeAudited(id, principal, {
      targetType: 'rule',
      remove: async (manager) => ((await this.rules.remove(manager, id)) ? {} : undefined),
      notFound: () => ruleNotFound(id),
    });
  }

  private removeAudited(id: string, principal: Principal, removal: Removal): Promise<void> {
    const at = this.clock.now();
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      const detail = await removal.remove(manager);
      if (detail === undefined) throw removal.notFound();
      await this.audit.record(manager, {
        at,
        actor,
        action: `${removal.targetType}.delete`,
        targetType: removal.targetType,
        targetId: id,
        detail,
      });
    });
  }
}
