import { Injectable } from '@nestjs/common';
import { AppError } from '@lib/common';
import { RuleRepository } from '../../routing/rule.repository';

@Injectable()
export class RemoveRuleUseCase {
  constructor(private readonly rules: RuleRepository) {}

  async execute(id: string): Promise<void> {
    if (!(await this.rules.remove(id)))
      throw new AppError('RULE_NOT_FOUND', 'not_found', `rule ${id} does not exist`);
  }
}
