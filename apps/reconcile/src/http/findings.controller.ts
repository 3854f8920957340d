import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { FINDING_SEVERITIES, FINDING_STATES, FINDING_TYPES, findingActionSchema, uuidSchema } from '@lib/contracts';
import { AuthGuard, openApiSchema, parseInput, principalOf, Requires } from '@lib/platform';
import { ActOnFindingUseCase } from '../use-cases/act-on-finding/act-on-finding.use-case';
import { GetFindingUseCase } from '../use-cases/get-finding/get-finding.use-case';
import { ListFindingsUseCase } from '../use-cases/list-findings/list-findings.use-case';
import { SummarizeFindingsUseCase } from '../use-cases/summarize-findings/summarize-findings.use-case';
import { findingsSummaryQuerySchema, listFindingsQuerySchema } from './api.schemas';

/**
 * Findings (with their history) and a person's actions on them, each within the caller's branch scope: a finding of
 * another branch answers 404 FINDING_NOT_FOUND exactly as an unknown id.
 */
@ApiTags('findings')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/findings')
export class FindingsController {
  constructor(
    private readonly listFindings: ListFindingsUseCase,
    private readonly getFinding: GetFindingUseCase,
    private readonly summarize: SummarizeFindingsUseCase,
    private readonly actOnFinding: ActOnFindingUseCase,
  ) {}

  @Get()
  @Requires('findings:read')
  @ApiOperation({
    summary: "Findings within the caller's branches, filtered, oldest first, with the total matching",
  })
  @ApiQuery({ name: 'taxNo', required: false })
  @ApiQuery({ name: 'period', required: false, description: 'YYYY-MM' })
  @ApiQuery({ name: 'type', required: false, enum: FINDING_TYPES })
  @ApiQuery({ name: 'state', required: false, enum: FINDING_STATES })
  @ApiQuery({ name: 'branchId', required: false })
  @ApiQuery({ name: 'severity', required: false, enum: FINDING_SEVERITIES })
  @ApiQuery({ name: 'invoiceNumber', required: false, description: "the invoice's number, exactly" })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  list(@Query() query: unknown, @Req() request: Request) {
    return this.listFindings.execute(
      principalOf(request).scope,
      parseInput(listFindingsQuerySchema, query, 'query'),
    );
  }

  // Before ':id', which would otherwise take "summary" for an id.
  @Get('summary')
  @Requires('findings:read')
  @ApiOperation({
    summary:
      "Open findings by type, severity and state; open and all by branch and period (the caller's branches)",
  })
  @ApiQuery({ name: 'taxNo', required: false })
  @ApiQuery({ name: 'period', required: false, description: 'YYYY-MM' })
  @ApiQuery({ name: 'branchId', required: false })
  summary(@Query() query: unknown, @Req() request: Request) {
    return this.summarize.execute(
      principalOf(request).scope,
      parseInput(findingsSummaryQuerySchema, query, 'query'),
    );
  }

  @Get(':id')
  @Requires('findings:read')
  @ApiOperation({
    summary: 'One finding with its whole history (404 when unknown or outside the caller’s branches)',
  })
  @ApiParam({ name: 'id' })
  get(@Param('id') id: string, @Req() request: Request) {
    return this.getFinding.execute(principalOf(request).scope, parseInput(uuidSchema, id, 'id'));
  }

  @Post(':id/actions')
  @HttpCode(200)
  @Requires('findings:act')
  @ApiOperation({
    summary:
      'retry, resolve or ignore a finding; recorded with who and why, in its history and the audit log',
  })
  @ApiParam({ name: 'id' })
  @ApiBody({ schema: openApiSchema(findingActionSchema) })
  act(@Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    return this.actOnFinding.execute(
      parseInput(uuidSchema, id, 'id'),
      parseInput(findingActionSchema, body, 'body'),
      principalOf(request),
    );
  }
}
