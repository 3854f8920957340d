import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthGuard, principalOf, Requires } from '@lib/platform';
import { AdminApiDocs } from '../openapi/api-docs.decorators';
import { API_SCHEMAS } from '../openapi/api-schemas';
import { toRegisterDeviceCommand } from './use-cases/register-device/register-device.command';
import { RegisterDeviceUseCase } from './use-cases/register-device/register-device.use-case';
import { GetDeviceUseCase } from './use-cases/get-device/get-device.use-case';
import { toListDevicesQuery } from './use-cases/list-devices/list-devices.query';
import { ListDevicesUseCase } from './use-cases/list-devices/list-devices.use-case';
import { DisableDeviceUseCase } from './use-cases/disable-device/disable-device.use-case';
import { RotateDeviceSecretUseCase } from './use-cases/rotate-device-secret/rotate-device-secret.use-case';
import { ReencryptSecretsUseCase } from './use-cases/reencrypt-secrets/reencrypt-secrets.use-case';
import { toSetDeviceNoCommand } from './use-cases/set-device-no/set-device-no.command';
import { SetDeviceNoUseCase } from './use-cases/set-device-no/set-device-no.use-case';

const NOT_FOUND = ApiResponse({
  status: 404,
  description: "DEVICE_NOT_FOUND (also for a device outside the caller's branches)",
  schema: API_SCHEMAS.error,
});
const FORBIDDEN = ApiResponse({
  status: 403,
  description: 'FORBIDDEN: the caller lacks devices:manage',
  schema: API_SCHEMAS.error,
});

/**
 * The device registry, for people (IdP access token) and the admin-token service account alike: reads need
 * devices:read and see only the caller's branches; changes need devices:manage and are recorded with their actor.
 * Answers that carry a secret are marked no-store; request logs never include bodies.
 */
@ApiTags('admin')
@ApiBearerAuth()
@AdminApiDocs()
@Controller('v1/admin')
@UseGuards(AuthGuard)
export class DevicesAdminController {
  constructor(
    private readonly registerDevice: RegisterDeviceUseCase,
    private readonly getDevice: GetDeviceUseCase,
    private readonly listDevices: ListDevicesUseCase,
    private readonly disableDevice: DisableDeviceUseCase,
    private readonly rotateSecret: RotateDeviceSecretUseCase,
    private readonly reencryptSecrets: ReencryptSecretsUseCase,
    private readonly setDeviceNo: SetDeviceNoUseCase,
  ) {}

  @Post('devices')
  @Requires('devices:manage')
  @FORBIDDEN
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Register a device; the secret is shown only in this answer' })
  @ApiBody({ schema: API_SCHEMAS.registerDevice })
  @ApiCreatedResponse({ schema: API_SCHEMAS.registeredDevice })
  @ApiResponse({
    status: 400,
    description: 'VALIDATION_FAILED (e.g. INVALID_TAX_NO, INVALID_DEVICE_NO)',
    schema: API_SCHEMAS.error,
  })
  register(@Body() body: unknown, @Req() request: Request) {
    return this.registerDevice.execute(toRegisterDeviceCommand(body, principalOf(request)));
  }

  @Get('devices')
  @Requires('devices:read')
  @ApiOperation({ summary: "List the caller's branches' devices in registration order (keyset pages)" })
  @ApiQuery({ name: 'taxNo', required: false })
  @ApiQuery({ name: 'branchId', required: false })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'limit', required: false, description: '1-200, default 50' })
  @ApiOkResponse({ schema: API_SCHEMAS.devicePage })
  list(@Query() query: unknown, @Req() request: Request) {
    return this.listDevices.execute(toListDevicesQuery(query), principalOf(request).scope);
  }

  @Get('devices/:deviceId')
  @Requires('devices:read')
  @ApiOperation({ summary: 'One device (never its secret)' })
  @ApiOkResponse({ schema: API_SCHEMAS.device })
  @NOT_FOUND
  get(@Param('deviceId') deviceId: string, @Req() request: Request) {
    return this.getDevice.execute(deviceId, principalOf(request).scope);
  }

  @Post('devices/:deviceId/disable')
  @Requires('devices:manage')
  @FORBIDDEN
  @HttpCode(200)
  @ApiOperation({
    summary: 'Disable a device (idempotent; other replicas follow within the device cache TTL)',
  })
  @ApiOkResponse({ schema: API_SCHEMAS.device })
  @NOT_FOUND
  disable(@Param('deviceId') deviceId: string, @Req() request: Request) {
    return this.disableDevice.execute(deviceId, principalOf(request));
  }

  @Put('devices/:deviceId/device-no')
  @Requires('devices:manage')
  @FORBIDDEN
  @ApiOperation({
    summary:
      "Set, replace or (null) forget the device's authority number (机器编号); its next events carry it",
  })
  @ApiBody({ schema: API_SCHEMAS.setDeviceNo })
  @ApiOkResponse({ schema: API_SCHEMAS.device })
  @ApiResponse({
    status: 400,
    description: 'VALIDATION_FAILED (INVALID_DEVICE_NO)',
    schema: API_SCHEMAS.error,
  })
  @NOT_FOUND
  putDeviceNo(@Param('deviceId') deviceId: string, @Body() body: unknown, @Req() request: Request) {
    return this.setDeviceNo.execute(toSetDeviceNoCommand(deviceId, body, principalOf(request)));
  }

  @Post('devices/:deviceId/rotate-secret')
  @Requires('devices:manage')
  @FORBIDDEN
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Replace the secret; the new one is shown only in this answer' })
  @ApiOkResponse({ schema: API_SCHEMAS.rotatedSecret })
  @NOT_FOUND
  rotate(@Param('deviceId') deviceId: string, @Req() request: Request) {
    return this.rotateSecret.execute(deviceId, principalOf(request));
  }

  @Post('secrets/re-encrypt')
  @Requires('devices:manage')
  @FORBIDDEN
  @HttpCode(200)
  @ApiOperation({
    summary: 'Re-encrypt every device secret under GATEWAY_ACTIVE_KEY_ID (master key rotation)',
  })
  @ApiOkResponse({ schema: API_SCHEMAS.reencryption })
  reencrypt(@Req() request: Request) {
    return this.reencryptSecrets.execute(principalOf(request));
  }
}
