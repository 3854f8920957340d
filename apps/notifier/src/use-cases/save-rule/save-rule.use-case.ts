import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppError, CLOCK, Clock } from '@lib/common';
import { RuleBody } from '../../http/admin.schemas';
import { RoutingRule } from '../../routing/routing.model';
import { RuleRepository } from '../../routing/rule.repository';

/** Creates a routing rule (no id) or replaces one. */
@Injectable()
export class SaveRuleUseCase {
  constructor(
    private readonly rules: RuleRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(body: RuleBody, id?: string): Promise<RoutingRule> {
    const now = this.clock.now();
    const existing = id ? await this.rules.get(id) : undefined;
    if (id && !existing) throw new AppError('RULE_NOT_FOUND', 'not_found', `rule ${id} does not exist`);
    const rule: RoutingRule = {
      id: id ?? randomUUID(),
      ...body,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await this.rules.save(rule);
    return rule;
  }
}
