import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@lib/common';
import { actorOf, AuditLog, Principal } from '@lib/platform';
import { ruleNotFound } from '../../notifier.exception';
import { RuleRepository } from '../../routing/rule.repository';

/** Removes a routing rule, audited in the same transaction. */
@Injectable()
export class RemoveRuleUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: RuleRepository,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(id: string, principal: Principal): Promise<void> {
    const at = this.clock.now();
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.rules.remove(manager, id))) throw ruleNotFound(id);
      await this.audit.record(manager, {
        at,
        actor,
        action: 'rule.delete',
        targetType: 'rule',
        targetId: id,
      });
    });
  }
}
