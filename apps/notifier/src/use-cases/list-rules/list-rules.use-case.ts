import { Injectable } from '@nestjs/common';
import { RoutingRule } from '../../routing/routing.model';
import { RuleRepository } from '../../routing/rule.repository';

@Injectable()
export class ListRulesUseCase {
  constructor(private readonly rules: RuleRepository) {}

  execute(): Promise<RoutingRule[]> {
    return this.rules.all();
  }
}
