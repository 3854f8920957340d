import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { GetInvoiceDeliveriesUseCase } from '../use-cases/get-invoice-deliveries/get-invoice-deliveries.use-case';
import { ListDeliveriesUseCase } from '../use-cases/list-deliveries/list-deliveries.use-case';
import { RetryDeliveryUseCase } from '../use-cases/retry-delivery/retry-delivery.use-case';
import { AuthGuard, openApiSchema, parseInput, principalOf, Requires } from '@lib/platform';
import { invoiceKeyParamSchema, listDeliveriesQuerySchema, retryBodySchema } from './admin.schemas';

/**
 * Where each invoice stands at each target, with every attempt; dead deliveries are listed and can be retried. A caller
 * limited to branches sees (and retries) only the deliveries of invoices of those branches, by the ledger's branch.
 */
@ApiTags('deliveries')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/deliveries')
export class DeliveriesController {
  constructor(
    private readonly getInvoiceDeliveries: GetInvoiceDeliveriesUseCase,
    private readonly listDeliveries: ListDeliveriesUseCase,
    private readonly retryDelivery: RetryDeliveryUseCase,
  ) {}

  @Get()
  @Requires('deliveries:read')
  @ApiOperation({
    summary: "Deliveries by status, target, taxpayer and branch (e.g. status=dead), oldest first, within the caller's branches",
  })
  @ApiQuery({
    name: 'status',
    required: false,
    enum: ['pending', 'sending', 'accepted', 'rejected', 'dead', 'relayed'],
  })
  @ApiQuery({ name: 'target', required: false, description: 'a registered target, e.g. `authority`' })
  @ApiQuery({ name: 'taxNo', required: false, description: "the seller's taxpayer id" })
  @ApiQuery({ name: 'branchId', required: false, description: "the invoice's branch" })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  list(@Query() query: unknown, @Req() request: Request) {
    return this.listDeliveries.execute(
      parseInput(listDeliveriesQuerySchema, query, 'query'),
      principalOf(request).scope,
    );
  }

  @Get(':invoiceKey')
  @Requires('deliveries:read')
  @ApiOperation({ summary: 'Ledger state, events and every delivery with its attempts for one invoice' })
  @ApiParam({ name: 'invoiceKey', description: '`code-number` (legacy) or the 20-digit 数电 number' })
  get(@Param('invoiceKey') invoiceKey: string, @Req() request: Request) {
    return this.getInvoiceDeliveries.execute(
      parseInput(invoiceKeyParamSchema, invoiceKey, 'invoiceKey'),
      principalOf(request).scope,
    );
  }

  @Post(':invoiceKey/retry')
  @Requires('deliveries:retry')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Re-opens the delivery of an invoice to one target (looked up first: never a duplicate)',
  })
  @ApiParam({ name: 'invoiceKey' })
  @ApiBody({ schema: openApiSchema(retryBodySchema) })
  retry(@Param('invoiceKey') invoiceKey: string, @Body() body: unknown, @Req() request: Request) {
    const key = parseInput(invoiceKeyParamSchema, invoiceKey, 'invoiceKey');
    const { target, reason } = parseInput(retryBodySchema, body, 'body');
    return this.retryDelivery.execute(key, target, reason, principalOf(request));
  }
}
