import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { GetInvoiceDeliveriesUseCase } from '../use-cases/get-invoice-deliveries/get-invoice-deliveries.use-case';
import { ListDeliveriesUseCase } from '../use-cases/list-deliveries/list-deliveries.use-case';
import { RetryDeliveryUseCase } from '../use-cases/retry-delivery/retry-delivery.use-case';
import { AdminGuard, adminOf, openApiSchema, parseInput } from '@lib/platform';
import { invoiceKeyParamSchema, listDeliveriesQuerySchema, retryBodySchema } from './admin.schemas';

/** Where each invoice stands at each target, with every attempt; dead deliveries are listed and can be retried. */
@ApiTags('deliveries')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('v1/deliveries')
export class DeliveriesController {
  constructor(
    private readonly getInvoiceDeliveries: GetInvoiceDeliveriesUseCase,
    private readonly listDeliveries: ListDeliveriesUseCase,
    private readonly retryDelivery: RetryDeliveryUseCase,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Deliveries by status and target (e.g. status=dead), oldest first' })
  @ApiQuery({
    name: 'status',
    required: false,
    enum: ['pending', 'sending', 'accepted', 'rejected', 'dead', 'relayed'],
  })
  @ApiQuery({ name: 'target', required: false, description: 'a registered target, e.g. `authority`' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  list(@Query() query: unknown) {
    return this.listDeliveries.execute(parseInput(listDeliveriesQuerySchema, query, 'query'));
  }

  @Get(':invoiceKey')
  @ApiOperation({ summary: 'Ledger state, events and every delivery with its attempts for one invoice' })
  @ApiParam({ name: 'invoiceKey', description: '`code-number` (legacy) or the 20-digit 数电 number' })
  get(@Param('invoiceKey') invoiceKey: string) {
    return this.getInvoiceDeliveries.execute(parseInput(invoiceKeyParamSchema, invoiceKey, 'invoiceKey'));
  }

  @Post(':invoiceKey/retry')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Re-opens the delivery of an invoice to one target (looked up first: never a duplicate)',
  })
  @ApiParam({ name: 'invoiceKey' })
  @ApiBody({ schema: openApiSchema(retryBodySchema) })
  retry(@Param('invoiceKey') invoiceKey: string, @Body() body: unknown, @Req() request: Request) {
    const key = parseInput(invoiceKeyParamSchema, invoiceKey, 'invoiceKey');
    const { target, reason } = parseInput(retryBodySchema, body, 'body');
    return this.retryDelivery.execute(key, target, reason, adminOf(request).id);
  }
}
