import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { uuidSchema } from '@lib/contracts';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthGuard, openApiSchema, parseInput, principalOf, Requires } from '@lib/platform';
import { ReceivedInvoicesService } from './received-invoices.service';
import { checkBatchSchema, listReceivedQuerySchema, receivedInvoiceInputSchema, registerBatchSchema } from './received.schemas';

/**
 * Received invoices (进项, docs/received-invoices.md). Reads need invoices:read; registering and checking findings:act
 * (branch clerks within their branches, finance managers, admins; auditors only read). Another branch's invoice answers
 * 404 RECEIVED_INVOICE_NOT_FOUND exactly as an unknown one.
 */
@ApiTags('received-invoices')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/received-invoices')
export class ReceivedInvoicesController {
  constructor(private readonly received: ReceivedInvoicesService) {}

  @Post()
  @HttpCode(201)
  @Requires('findings:act')
  @ApiOperation({ summary: 'Register an invoice a supplier issued to us, with the branch that received it (existing: returned as is)' })
  @ApiBody({ schema: openApiSchema(receivedInvoiceInputSchema) })
  register(@Body() body: unknown, @Req() request: Request) {
    return this.received.register(parseInput(receivedInvoiceInputSchema, body ?? {}, 'body'), principalOf(request));
  }

  @Post('batch')
  @HttpCode(200)
  @Requires('findings:act')
  @ApiOperation({ summary: 'Register up to 500 received invoices; one result per item, in order (one bad item never rejects the others)' })
  @ApiBody({ schema: openApiSchema(registerBatchSchema) })
  registerBatch(@Body() body: unknown, @Req() request: Request) {
    return this.received.registerBatch(parseInput(registerBatchSchema, body ?? {}, 'body').invoices, principalOf(request));
  }

  @Post('checks')
  @HttpCode(200)
  @Requires('findings:act')
  @ApiOperation({ summary: 'Verify (查验) up to 50 received invoices; one result per id: checked, refused (QUOTA_EXHAUSTED) or not_found' })
  @ApiBody({ schema: openApiSchema(checkBatchSchema) })
  checkBatch(@Body() body: unknown, @Req() request: Request) {
    return this.received.checkBatch(parseInput(checkBatchSchema, body ?? {}, 'body').ids, principalOf(request));
  }

  @Get()
  @Requires('invoices:read')
  @ApiOperation({ summary: "Received invoices within the caller's branches, newest registration first" })
  @ApiQuery({ name: 'taxNo', required: false })
  @ApiQuery({ name: 'branchId', required: false })
  @ApiQuery({ name: 'period', required: false })
  @ApiQuery({ name: 'result', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  list(@Query() query: unknown, @Req() request: Request) {
    return this.received.list(principalOf(request), parseInput(listReceivedQuerySchema, query, 'query'));
  }

  @Get(':id')
  @Requires('invoices:read')
  @ApiOperation({ summary: 'One received invoice with its checks, newest first (404 when unknown or outside the caller’s branches)' })
  @ApiParam({ name: 'id' })
  get(@Param('id') id: string, @Req() request: Request) {
    return this.received.get(parseInput(uuidSchema, id, 'id'), principalOf(request));
  }

  @Get(':id/checks')
  @Requires('invoices:read')
  @ApiOperation({ summary: 'The checks of one received invoice: result, channel that answered, who asked, when' })
  @ApiParam({ name: 'id' })
  history(@Param('id') id: string, @Req() request: Request) {
    return this.received.history(parseInput(uuidSchema, id, 'id'), principalOf(request));
  }

  @Post(':id/checks')
  @HttpCode(200)
  @Requires('findings:act')
  @ApiOperation({
    summary: 'Verify (查验) one received invoice now (429 QUOTA_EXHAUSTED with Retry-After when no check is left today: nothing is sent)',
  })
  @ApiParam({ name: 'id' })
  check(@Param('id') id: string, @Req() request: Request) {
    return this.received.checkOne(parseInput(uuidSchema, id, 'id'), principalOf(request));
  }
}
