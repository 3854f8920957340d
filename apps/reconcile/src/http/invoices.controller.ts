import { Controller, Get, Param, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthGuard, parseInput, principalOf, Requires } from '@lib/platform';
import { GetInvoiceTimelineUseCase } from '../use-cases/get-invoice-timeline/get-invoice-timeline.use-case';
import { SearchInvoicesUseCase } from '../use-cases/search-invoices/search-invoices.use-case';
import { invoiceKeyParamSchema, searchInvoicesQuerySchema } from './api.schemas';

/** Reconcile's ledger projection, searched, and one invoice's whole timeline, within the caller's branch scope. */
@ApiTags('invoices')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Requires('invoices:read')
@Controller('v1/invoices')
export class InvoicesController {
  constructor(
    private readonly search: SearchInvoicesUseCase,
    private readonly getTimeline: GetInvoiceTimelineUseCase,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      "Invoices of the ledger within the caller's branches, newest issue first, with the total matching",
  })
  @ApiQuery({ name: 'number', required: false, description: "the invoice's number, exactly" })
  @ApiQuery({ name: 'code', required: false, description: "a legacy invoice's code, exactly" })
  @ApiQuery({
    name: 'from',
    required: false,
    description: 'issued at or after (YYYY-MM-DD in Asia/Shanghai, or an ISO instant)',
  })
  @ApiQuery({
    name: 'to',
    required: false,
    description: 'issued before (YYYY-MM-DD in Asia/Shanghai, or an ISO instant)',
  })
  @ApiQuery({ name: 'taxNo', required: false })
  @ApiQuery({ name: 'branchId', required: false })
  @ApiQuery({ name: 'deviceId', required: false })
  @ApiQuery({
    name: 'buyer',
    required: false,
    description: "the buyer's tax number, or a part of the buyer's name",
  })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  list(@Query() query: unknown, @Req() request: Request) {
    return this.search.execute(
      principalOf(request).scope,
      parseInput(searchInvoicesQuerySchema, query, 'query'),
    );
  }

  @Get(':key/timeline')
  @ApiOperation({
    summary: 'Every event, sync result, authority observation and finding of one invoice, in time order',
  })
  @ApiParam({ name: 'key', description: '`code-number` (legacy) or the 20-digit 数电 number' })
  timeline(@Param('key') key: string, @Req() request: Request) {
    return this.getTimeline.execute(
      principalOf(request).scope,
      parseInput(invoiceKeyParamSchema, key, 'key'),
    );
  }
}
