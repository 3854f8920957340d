import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthGuard, openApiSchema, parseInput, principalOf, Requires } from '@lib/platform';
import { ListRulesUseCase } from '../use-cases/list-rules/list-rules.use-case';
import { RemoveRoutingEntryUseCase } from '../use-cases/remove-routing-entry/remove-routing-entry.use-case';
import { SaveRuleUseCase } from '../use-cases/save-rule/save-rule.use-case';
import { idParamSchema, ruleBodySchema } from './admin.schemas';
import { ruleView } from './views';

/**
 * Which channels, level and mode (immediate or digest) apply, by finding type and severity. Rules belong to no branch:
 * whoever may read notifications reads them all; changes need notifications:manage.
 */
@ApiTags('rules')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/rules')
export class RulesController {
  constructor(
    private readonly listRules: ListRulesUseCase,
    private readonly saveRule: SaveRuleUseCase,
    private readonly removals: RemoveRoutingEntryUseCase,
  ) {}

  @Get()
  @Requires('notifications:read')
  @ApiOperation({ summary: 'Routing rules, highest priority first' })
  async list() {
    return { items: (await this.listRules.execute()).map(ruleView) };
  }

  @Post()
  @Requires('notifications:manage')
  @ApiOperation({
    summary: 'Adds a rule (the highest priority, then the most specific, matching rule applies)',
  })
  @ApiBody({ schema: openApiSchema(ruleBodySchema) })
  async create(@Body() body: unknown, @Req() request: Request) {
    return ruleView(
      await this.saveRule.execute(parseInput(ruleBodySchema, body, 'body'), principalOf(request)),
    );
  }

  @Put(':id')
  @Requires('notifications:manage')
  @ApiOperation({ summary: 'Replaces a routing rule' })
  @ApiParam({ name: 'id' })
  @ApiBody({ schema: openApiSchema(ruleBodySchema) })
  async replace(@Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    return ruleView(
      await this.saveRule.execute(
        parseInput(ruleBodySchema, body, 'body'),
        principalOf(request),
        parseInput(idParamSchema, id, 'id'),
      ),
    );
  }

  @Delete(':id')
  @Requires('notifications:manage')
  @ApiOperation({ summary: 'Removes a routing rule' })
  @HttpCode(204)
  @ApiParam({ name: 'id' })
  async remove(@Param('id') id: string, @Req() request: Request): Promise<void> {
    await this.removals.rule(parseInput(idParamSchema, id, 'id'), principalOf(request));
  }
}
