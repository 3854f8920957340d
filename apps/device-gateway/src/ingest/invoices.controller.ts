import { Body, Controller, HttpCode, Post, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { InvoicesResponse } from '@lib/contracts';
import { DeviceAuthGuard } from '../auth/device-auth.guard';
import { AuthenticatedDevice, DevicePrincipal } from '../auth/device-principal';
import { API_SCHEMAS } from '../openapi/api-schemas';
import { DeviceApiDocs } from '../openapi/api-docs.decorators';
import { JsonDepthInterceptor } from './json-depth.interceptor';
import { toIngestInvoicesCommand } from '../use-cases/ingest-invoices/ingest-invoices.command';
import { IngestInvoicesUseCase } from '../use-cases/ingest-invoices/ingest-invoices.use-case';

@ApiTags('devices')
@Controller('v1/invoices')
@UseGuards(DeviceAuthGuard)
@UseInterceptors(JsonDepthInterceptor)
export class InvoicesController {
  constructor(private readonly ingest: IngestInvoicesUseCase) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Report 1-1000 invoice events',
    description:
      'One result per item, in order: accepted (committed, will be published to invoice.events.v1), duplicate ' +
      '(same eventId or same invoice key with identical content), or rejected with every error code and field. ' +
      'One bad item never rejects the others.',
  })
  @ApiBody({ schema: API_SCHEMAS.invoicesRequest })
  @ApiOkResponse({ schema: API_SCHEMAS.invoicesResponse })
  @DeviceApiDocs()
  async post(
    @AuthenticatedDevice() device: DevicePrincipal,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<InvoicesResponse> {
    const response = await this.ingest.execute(toIngestInvoicesCommand(device, body));
    res.locals.outcome = outcomeOf(response);
    return response;
  }
}

/** accepted / duplicate / rejected when every item agrees, mixed otherwise. */
function outcomeOf({ results }: InvoicesResponse): string {
  const statuses = new Set(results.map((r) => r.status));
  return statuses.size === 1 ? [...statuses][0] : 'mixed';
}
