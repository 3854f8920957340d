import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthGuard, openApiSchema, parseInput, principalOf, Requires } from '@lib/platform';
import { REMOTE_OP_LIST_STATES } from '../remote-ops/remote-ops.model';
import { ListRemoteOpsUseCase } from '../use-cases/list-remote-ops/list-remote-ops.use-case';
import { RetryRemoteOpUseCase } from '../use-cases/retry-remote-op/retry-remote-op.use-case';
import { SetRemoteOpsSettingUseCase } from '../use-cases/set-remote-ops-setting/set-remote-ops-setting.use-case';
import {
  deviceIdParamSchema,
  listRemoteOpsQuerySchema,
  remoteOpsRetryBodySchema,
  remoteOpsSettingBodySchema,
} from './remote-ops.schemas';
import { taxNoParamSchema } from './admin.schemas';

/**
 * Remote 抄报 / 清卡 of hosted devices (docs/device-operations.md): where each device stands for a period, the
 * switches per taxpayer and per device, and a person's retry. Devices are seen and acted on within the caller's
 * branches; a device outside them is as unknown as a missing one.
 */
@ApiTags('remote-ops')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/remote-ops')
export class RemoteOpsController {
  constructor(
    private readonly listRemoteOps: ListRemoteOpsUseCase,
    private readonly setSetting: SetRemoteOpsSettingUseCase,
    private readonly retryRemoteOp: RetryRemoteOpUseCase,
  ) {}

  @Get()
  @Requires('devices:read')
  @ApiOperation({ summary: "The period's hosted devices and their 抄报 / 清卡 jobs, by device id, within the caller's branches" })
  @ApiQuery({ name: 'period', required: false, description: 'YYYY-MM; default: the period in filing' })
  @ApiQuery({ name: 'taxNo', required: false })
  @ApiQuery({ name: 'state', required: false, enum: REMOTE_OP_LIST_STATES })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  list(@Query() query: unknown, @Req() request: Request) {
    return this.listRemoteOps.execute(parseInput(listRemoteOpsQuerySchema, query, 'query'), principalOf(request));
  }

  @Put('taxpayers/:taxNo')
  @Requires('devices:manage')
  @ApiOperation({ summary: "Switches a taxpayer's remote operations on or off (on by default)" })
  @ApiParam({ name: 'taxNo' })
  @ApiBody({ schema: openApiSchema(remoteOpsSettingBodySchema) })
  putTaxpayer(@Param('taxNo') taxNo: string, @Body() body: unknown, @Req() request: Request) {
    const parsedTaxNo = parseInput(taxNoParamSchema, taxNo, 'taxNo');
    const input = parseInput(remoteOpsSettingBodySchema, body, 'body');
    return this.setSetting.forTaxpayer(parsedTaxNo, input, principalOf(request));
  }

  @Put('devices/:deviceId')
  @Requires('devices:manage')
  @ApiOperation({ summary: "Switches a device's remote operations on or off (on by default)" })
  @ApiParam({ name: 'deviceId' })
  @ApiBody({ schema: openApiSchema(remoteOpsSettingBodySchema) })
  putDevice(@Param('deviceId') deviceId: string, @Body() body: unknown, @Req() request: Request) {
    const parsedId = parseInput(deviceIdParamSchema, deviceId, 'deviceId');
    const input = parseInput(remoteOpsSettingBodySchema, body, 'body');
    return this.setSetting.forDevice(parsedId, input, principalOf(request));
  }

  @Post('devices/:deviceId/retry')
  @Requires('devices:manage')
  @HttpCode(202)
  @ApiOperation({ summary: "Runs the device's job of the period in filing again now (the platform is asked first)" })
  @ApiParam({ name: 'deviceId' })
  @ApiBody({ schema: openApiSchema(remoteOpsRetryBodySchema), required: false })
  retry(@Param('deviceId') deviceId: string, @Body() body: unknown, @Req() request: Request) {
    const parsedId = parseInput(deviceIdParamSchema, deviceId, 'deviceId');
    const { reason } = parseInput(remoteOpsRetryBodySchema, body, 'body');
    return this.retryRemoteOp.execute(parsedId, reason, principalOf(request));
  }
}
