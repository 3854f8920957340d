import { Body, Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { reconciliationRequestSchema } from '@lib/contracts';
import { GetReconciliationUseCase } from '../use-cases/get-reconciliation/get-reconciliation.use-case';
import { RequestReconciliationUseCase } from '../use-cases/request-reconciliation/request-reconciliation.use-case';
import { ApiGuard, principalOf } from './api-auth';
import { openApiSchema, parseInput } from '@lib/platform';
import { uuidParamSchema } from './api.schemas';

/** On-demand reconciliation of one taxpayer and period, and the state of a run. */
@ApiTags('reconciliations')
@ApiBearerAuth()
@UseGuards(ApiGuard)
@Controller('v1/reconciliations')
export class ReconciliationsController {
  constructor(
    private readonly requestReconciliation: RequestReconciliationUseCase,
    private readonly getReconciliation: GetReconciliationUseCase,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Queues a run of the scope (or returns the run already active for it)' })
  @ApiBody({ schema: openApiSchema(reconciliationRequestSchema) })
  request(@Body() body: unknown, @Req() request: Request) {
    return this.requestReconciliation.execute(
      parseInput(reconciliationRequestSchema, body, 'body'),
      principalOf(request).id,
    );
  }

  @Get(':runId')
  @ApiOperation({ summary: 'State, pull progress, counts per finding type and timings of a run' })
  @ApiParam({ name: 'runId' })
  get(@Param('runId') runId: string) {
    return this.getReconciliation.execute(parseInput(uuidParamSchema, runId, 'runId'));
  }
}
