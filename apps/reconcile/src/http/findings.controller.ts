import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { FINDING_STATES, FINDING_TYPES, findingActionSchema } from '@lib/contracts';
import { ActOnFindingUseCase } from '../use-cases/act-on-finding/act-on-finding.use-case';
import { GetInvoiceTimelineUseCase } from '../use-cases/get-invoice-timeline/get-invoice-timeline.use-case';
import { ListFindingsUseCase } from '../use-cases/list-findings/list-findings.use-case';
import { ApiGuard, principalOf } from './api-auth';
import { openApiSchema, parseInput } from '@lib/platform';
import { invoiceKeyParamSchema, listFindingsQuerySchema, uuidParamSchema } from './api.schemas';

/** Findings (with their history), a person's actions on them, and one invoice's whole timeline. */
@ApiTags('findings')
@ApiBearerAuth()
@UseGuards(ApiGuard)
@Controller('v1')
export class FindingsController {
  constructor(
    private readonly listFindings: ListFindingsUseCase,
    private readonly actOnFinding: ActOnFindingUseCase,
    private readonly getTimeline: GetInvoiceTimelineUseCase,
  ) {}

  @Get('findings')
  @ApiOperation({ summary: 'Findings by taxpayer, period, type and state, oldest first' })
  @ApiQuery({ name: 'taxNo', required: false })
  @ApiQuery({ name: 'period', required: false, description: 'YYYY-MM' })
  @ApiQuery({ name: 'type', required: false, enum: FINDING_TYPES })
  @ApiQuery({ name: 'state', required: false, enum: FINDING_STATES })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  list(@Query() query: unknown) {
    return this.listFindings.execute(parseInput(listFindingsQuerySchema, query, 'query'));
  }

  @Post('findings/:id/actions')
  @HttpCode(200)
  @ApiOperation({ summary: 'retry, resolve or ignore a finding; recorded with who and why' })
  @ApiParam({ name: 'id' })
  @ApiBody({ schema: openApiSchema(findingActionSchema) })
  act(@Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    return this.actOnFinding.execute(
      parseInput(uuidParamSchema, id, 'id'),
      parseInput(findingActionSchema, body, 'body'),
      principalOf(request).id,
    );
  }

  @Get('invoices/:key/timeline')
  @ApiOperation({
    summary: 'Every event, sync result, authority observation and finding of one invoice, in time order',
  })
  @ApiParam({ name: 'key', description: '`code-number` (legacy) or the 20-digit 数电 number' })
  timeline(@Param('key') key: string) {
    return this.getTimeline.execute(parseInput(invoiceKeyParamSchema, key, 'key'));
  }
}
