import {
  applyDecorators,
  Body,
  Controller,
  Param,
  Post,
  Res,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { DeviceEventResponse } from '@lib/contracts';
import { DeviceAuthGuard } from '../auth/device-auth.guard';
import { AuthenticatedDevice, DevicePrincipal } from '../auth/device-principal';
import { DeviceApiDocs } from '../openapi/api-docs.decorators';
import { API_SCHEMAS } from '../openapi/api-schemas';
import { JsonDepthInterceptor } from './json-depth.interceptor';
import { DeviceEventKind } from '../use-cases/record-device-event/device-event.kinds';
import { RecordDeviceEventUseCase } from '../use-cases/record-device-event/record-device-event.use-case';

const EventDocs = () =>
  applyDecorators(
    ApiAcceptedResponse({
      description: 'accepted: committed, will be published to device.events.v1',
      schema: API_SCHEMAS.deviceEventResponse,
    }),
    ApiOkResponse({
      description: 'duplicate: this eventId was already accepted with this content',
      schema: API_SCHEMAS.deviceEventResponse,
    }),
    ApiResponse({
      status: 403,
      description: 'DEVICE_MISMATCH: the path names another device',
      schema: API_SCHEMAS.error,
    }),
    ApiResponse({
      status: 409,
      description: 'IDEMPOTENCY_CONFLICT: eventId reused for other content',
      schema: API_SCHEMAS.error,
    }),
    DeviceApiDocs(),
  );

@ApiTags('devices')
@Controller('v1/devices/:deviceId')
@UseGuards(DeviceAuthGuard)
@UseInterceptors(JsonDepthInterceptor)
export class DeviceEventsController {
  constructor(private readonly record: RecordDeviceEventUseCase) {}

  @Post('clear-card')
  @ApiOperation({ summary: 'Report a clear-card (清卡) result' })
  @ApiBody({ schema: API_SCHEMAS.clearCard })
  @EventDocs()
  clearCard(
    @AuthenticatedDevice() device: DevicePrincipal,
    @Param('deviceId') id: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.handle('clear-card', device, id, body, res);
  }

  @Post('reports')
  @ApiOperation({ summary: 'Report the monthly summary (抄报)' })
  @ApiBody({ schema: API_SCHEMAS.report })
  @EventDocs()
  report(
    @AuthenticatedDevice() device: DevicePrincipal,
    @Param('deviceId') id: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.handle('reports', device, id, body, res);
  }

  @Post('monitor')
  @ApiOperation({ summary: 'Report lock date and offline limits' })
  @ApiBody({ schema: API_SCHEMAS.monitor })
  @EventDocs()
  monitor(
    @AuthenticatedDevice() device: DevicePrincipal,
    @Param('deviceId') id: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.handle('monitor', device, id, body, res);
  }

  private async handle(
    kind: DeviceEventKind,
    device: DevicePrincipal,
    pathDeviceId: string,
    body: unknown,
    res: Response,
  ): Promise<DeviceEventResponse> {
    const status = await this.record.execute({ device, pathDeviceId, kind, body });
    res.status(status === 'accepted' ? 202 : 200);
    res.locals.outcome = status;
    return { status };
  }
}
