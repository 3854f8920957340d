import { Controller, Get, Param, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthGuard, parseInput, principalOf, Requires } from '@lib/platform';
import { GetDeviceComplianceUseCase } from '../use-cases/get-device-compliance/get-device-compliance.use-case';
import { ListDeviceComplianceUseCase } from '../use-cases/list-device-compliance/list-device-compliance.use-case';
import { deviceIdParamSchema, devicePeriodQuerySchema, listDevicesQuerySchema } from './devices.schemas';

/**
 * The devices' compliance board: last 清卡, whether the period due at the filing deadline is cleared, lock date, offline
 * amount against its limit, last 抄报, from reconcile's projections of device.events.v1 (the registry itself, names and
 * state, is the gateway's). Within the caller's branches: another branch's device answers 404 DEVICE_NOT_FOUND.
 */
@ApiTags('devices')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/devices')
export class DevicesController {
  constructor(
    private readonly listDevices: ListDeviceComplianceUseCase,
    private readonly getDevice: GetDeviceComplianceUseCase,
  ) {}

  @Get()
  @Requires('devices:read')
  @ApiOperation({
    summary:
      "Devices' compliance within the caller's branches, by device id, with the total and the filing judged",
  })
  @ApiQuery({ name: 'taxNo', required: false })
  @ApiQuery({ name: 'branchId', required: false })
  @ApiQuery({
    name: 'period',
    required: false,
    description: 'YYYY-MM whose clear-card is judged; default: due at this month’s deadline',
  })
  @ApiQuery({ name: 'deviceIds', required: false, description: 'comma-separated device ids, up to 200' })
  @ApiQuery({ name: 'cleared', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  list(@Query() query: unknown, @Req() request: Request) {
    return this.listDevices.execute(
      principalOf(request).scope,
      parseInput(listDevicesQuerySchema, query, 'query'),
    );
  }

  @Get(':deviceId')
  @Requires('devices:read')
  @ApiOperation({ summary: 'One device’s compliance (404 when unknown or outside the caller’s branches)' })
  @ApiParam({ name: 'deviceId' })
  @ApiQuery({ name: 'period', required: false, description: 'YYYY-MM' })
  get(@Param('deviceId') deviceId: string, @Query() query: unknown, @Req() request: Request) {
    return this.getDevice.execute(
      principalOf(request).scope,
      parseInput(deviceIdParamSchema, deviceId, 'deviceId'),
      parseInput(devicePeriodQuerySchema, query, 'query').period,
    );
  }
}
