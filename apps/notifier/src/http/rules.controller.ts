import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ListRulesUseCase } from '../use-cases/list-rules/list-rules.use-case';
import { RemoveRuleUseCase } from '../use-cases/remove-rule/remove-rule.use-case';
import { SaveRuleUseCase } from '../use-cases/save-rule/save-rule.use-case';
import { AdminGuard, openApiSchema, parseInput } from '@lib/platform';
import { idParamSchema, ruleBodySchema } from './admin.schemas';
import { ruleView } from './views';

/** Which channels, level and mode (immediate or digest) apply, by finding type and severity. */
@ApiTags('rules')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('v1/rules')
export class RulesController {
  constructor(
    private readonly save: SaveRuleUseCase,
    private readonly listRules: ListRulesUseCase,
    private readonly removeRule: RemoveRuleUseCase,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Routing rules, highest priority first' })
  async list() {
    return { items: (await this.listRules.execute()).map(ruleView) };
  }

  @Post()
  @ApiOperation({
    summary: 'Adds a rule (the highest priority, then the most specific, matching rule applies)',
  })
  @ApiBody({ schema: openApiSchema(ruleBodySchema) })
  async create(@Body() body: unknown) {
    return ruleView(await this.save.execute(parseInput(ruleBodySchema, body, 'body')));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replaces a routing rule' })
  @ApiParam({ name: 'id' })
  @ApiBody({ schema: openApiSchema(ruleBodySchema) })
  async replace(@Param('id') id: string, @Body() body: unknown) {
    return ruleView(
      await this.save.execute(parseInput(ruleBodySchema, body, 'body'), parseInput(idParamSchema, id, 'id')),
    );
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Removes a routing rule' })
  @HttpCode(204)
  @ApiParam({ name: 'id' })
  async remove(@Param('id') id: string): Promise<void> {
    await this.removeRule.execute(parseInput(idParamSchema, id, 'id'));
  }
}
