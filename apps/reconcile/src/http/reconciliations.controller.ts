import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { reconciliationRequestSchema, uuidSchema } from '@lib/contracts';
import { AuthGuard, openApiSchema, parseInput, principalOf, Requires } from '@lib/platform';
import { GetReconciliationUseCase } from '../use-cases/get-reconciliation/get-reconciliation.use-case';
import { ListReconciliationsUseCase } from '../use-cases/list-reconciliations/list-reconciliations.use-case';
import { RequestReconciliationUseCase } from '../use-cases/request-reconciliation/request-reconciliation.use-case';
import { listRunsQuerySchema } from './api.schemas';

/** On-demand reconciliation of one taxpayer and period, the runs, and the state of one. */
@ApiTags('reconciliations')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/reconciliations')
export class ReconciliationsController {
  constructor(
    private readonly requestReconciliation: RequestReconciliationUseCase,
    private readonly getReconciliation: GetReconciliationUseCase,
    private readonly listReconciliations: ListReconciliationsUseCase,
  ) {}

  @Post()
  @HttpCode(202)
  @Requires('runs:start')
  @ApiOperation({
    summary: 'Queues a run of the scope (or returns the run already active for it); in the audit log',
  })
  @ApiBody({ schema: openApiSchema(reconciliationRequestSchema) })
  request(@Body() body: unknown, @Req() request: Request) {
    return this.requestReconciliation.execute(
      parseInput(reconciliationRequestSchema, body, 'body'),
      principalOf(request),
    );
  }

  @Get()
  @Requires('runs:read')
  @ApiOperation({
    summary: 'Runs newest first: state, pull progress and coverage, counts; with the total matching',
  })
  @ApiQuery({ name: 'taxNo', required: false })
  @ApiQuery({ name: 'period', required: false, description: 'YYYY-MM' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  list(@Query() query: unknown) {
    return this.listReconciliations.execute(parseInput(listRunsQuerySchema, query, 'query'));
  }

  @Get(':runId')
  @Requires('runs:read')
  @ApiOperation({ summary: 'State, pull progress, counts per finding type and timings of a run' })
  @ApiParam({ name: 'runId' })
  get(@Param('runId') runId: string) {
    return this.getReconciliation.execute(parseInput(uuidSchema, runId, 'runId'));
  }
}
