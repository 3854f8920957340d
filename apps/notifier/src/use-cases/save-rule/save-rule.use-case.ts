import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, Clock, ID_SOURCE, IdSource } from '@lib/common';
import { actorOf, AuditLog, Principal } from '@lib/platform';
import { ruleNotFound } from '../../notifier.exception';
import { RoutingRule, RuleFields } from '../../routing/routing.model';
import { RuleRepository } from '../../routing/rule.repository';

/** Creates a routing rule (no id) or replaces one; the change and its audit entry commit together. */
@Injectable()
export class SaveRuleUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: RuleRepository,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
  ) {}

  execute(body: RuleFields, principal: Principal, id?: string): Promise<RoutingRule> {
    const now = this.clock.now();
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      const existing = id ? await this.rules.get(id, manager) : undefined;
      if (id && !existing) throw ruleNotFound(id);
      const rule: RoutingRule = {
        id: id ?? this.ids.uuid(),
        ...body,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      await this.rules.save(manager, rule);
      await this.audit.record(manager, {
        at: now,
        actor,
        action: existing ? 'rule.update' : 'rule.create',
        targetType: 'rule',
        targetId: rule.id,
        detail: { ...body },
      });
      return rule;
    });
  }
}
