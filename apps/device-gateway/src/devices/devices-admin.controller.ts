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
import { toRegisterDeviceCommand } from '../use-cases/register-device/register-device.command';
import { RegisterDeviceUseCase } from '../use-cases/register-device/register-device.use-case';
import { GetDeviceUseCase } from '../use-cases/get-device/get-device.use-case';
import { toListDevicesQuery } from '../use-cases/list-devices/list-devices.query';
import { ListDevicesUseCase } from '../use-cases/list-devices/list-devices.use-case';
import { RotateDeviceSecretUseCase } from '../use-cases/rotate-device-secret/rotate-device-secret.use-case';
import { ReencryptSecretsUseCase } from '../use-cases/reencrypt-secrets/reencrypt-secrets.use-case';
import { toSetDeviceNoCommand } from '../use-cases/set-device-no/set-device-no.command';
import { SetDeviceNoUseCase } from '../use-cases/set-device-no/set-device-no.use-case';
import { toSuspendDeviceCommand } from '../use-cases/suspend-device/suspend-device.command';
import { SuspendDeviceUseCase } from '../use-cases/suspend-device/suspend-device.use-case';
import { toEnableDeviceCommand } from '../use-cases/enable-device/enable-device.command';
import { EnableDeviceUseCase } from '../use-cases/enable-device/enable-device.use-case';
import {
  disableAsRetireCommand,
  toRetireDeviceCommand,
} from '../use-cases/retire-device/retire-device.command';
import { RetireDeviceUseCase } from '../use-cases/retire-device/retire-device.use-case';
import { toSetDeviceHostingCommand } from '../use-cases/set-device-hosting/set-device-hosting.command';
import { SetDeviceHostingUseCase } from '../use-cases/set-device-hosting/set-device-hosting.use-case';
import { toListDeviceChangesQuery } from '../use-cases/list-device-changes/list-device-changes.query';
import { ListDeviceChangesUseCase } from '../use-cases/list-device-changes/list-device-changes.use-case';

const NOT_FOUND = ApiResponse({
  status: 404,
  description: "DEVICE_NOT_FOUND (also for a device outside the caller's branches)",
  schema: API_SCHEMAS.error,
});
const REASON_INVALID = ApiResponse({
  status: 400,
  description: 'VALIDATION_FAILED: reason is required, 1-500 characters (details name the field)',
  schema: API_SCHEMAS.error,
});
const RETIRED = ApiResponse({
  status: 409,
  description: 'DEVICE_RETIRED: a retired device stays retired',
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
    private readonly listChanges: ListDeviceChangesUseCase,
    private readonly suspendDevice: SuspendDeviceUseCase,
    private readonly enableDevice: EnableDeviceUseCase,
    private readonly retireDevice: RetireDeviceUseCase,
    private readonly setHosting: SetDeviceHostingUseCase,
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

  @Get('devices/:deviceId/changes')
  @Requires('devices:read')
  @ApiOperation({
    summary: "The device's changes, newest first: what, when, who, why, and the status it left",
  })
  @ApiQuery({ name: 'limit', required: false, description: '1-500, default 100' })
  @ApiOkResponse({ schema: API_SCHEMAS.deviceChanges })
  @NOT_FOUND
  changes(@Param('deviceId') deviceId: string, @Query() query: unknown, @Req() request: Request) {
    return this.listChanges.execute(toListDeviceChangesQuery(deviceId, query), principalOf(request).scope);
  }

  @Post('devices/:deviceId/suspend')
  @Requires('devices:manage')
  @FORBIDDEN
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Suspend a device: its requests answer 401 DEVICE_SUSPENDED until it is enabled (idempotent; other replicas follow within the device cache TTL)',
  })
  @ApiBody({ schema: API_SCHEMAS.changeReason })
  @ApiOkResponse({ schema: API_SCHEMAS.device })
  @REASON_INVALID
  @NOT_FOUND
  @RETIRED
  suspend(@Param('deviceId') deviceId: string, @Body() body: unknown, @Req() request: Request) {
    return this.suspendDevice.execute(toSuspendDeviceCommand(deviceId, body, principalOf(request)));
  }

  @Post('devices/:deviceId/enable')
  @Requires('devices:manage')
  @FORBIDDEN
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a suspended device again (an active device stays as it is)' })
  @ApiBody({ schema: API_SCHEMAS.changeReason })
  @ApiOkResponse({ schema: API_SCHEMAS.device })
  @REASON_INVALID
  @NOT_FOUND
  @RETIRED
  enable(@Param('deviceId') deviceId: string, @Body() body: unknown, @Req() request: Request) {
    return this.enableDevice.execute(toEnableDeviceCommand(deviceId, body, principalOf(request)));
  }

  @Post('devices/:deviceId/retire')
  @Requires('devices:manage')
  @FORBIDDEN
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Retire a device for good: its requests answer 401 DEVICE_RETIRED (idempotent; other replicas follow within the device cache TTL)',
  })
  @ApiBody({ schema: API_SCHEMAS.retireDevice })
  @ApiOkResponse({ schema: API_SCHEMAS.device })
  @ApiResponse({
    status: 400,
    description: 'VALIDATION_FAILED: reason (1-500 characters) or replacedBy (UNKNOWN_REPLACEMENT)',
    schema: API_SCHEMAS.error,
  })
  @NOT_FOUND
  retire(@Param('deviceId') deviceId: string, @Body() body: unknown, @Req() request: Request) {
    return this.retireDevice.execute(toRetireDeviceCommand(deviceId, body, principalOf(request)));
  }

  @Post('devices/:deviceId/disable')
  @Requires('devices:manage')
  @FORBIDDEN
  @HttpCode(200)
  @ApiOperation({
    summary: 'The old name of retire, with the reason "disabled" (idempotent)',
    deprecated: true,
  })
  @ApiOkResponse({ schema: API_SCHEMAS.device })
  @NOT_FOUND
  disable(@Param('deviceId') deviceId: string, @Req() request: Request) {
    return this.retireDevice.execute(disableAsRetireCommand(deviceId, principalOf(request)));
  }

  @Put('devices/:deviceId/hosting')
  @Requires('devices:manage')
  @FORBIDDEN
  @ApiOperation({
    summary: 'Set the platform hosting the device (a platform target name), or null for a device on premises',
  })
  @ApiBody({ schema: API_SCHEMAS.setDeviceHosting })
  @ApiOkResponse({ schema: API_SCHEMAS.device })
  @ApiResponse({
    status: 400,
    description:
      'VALIDATION_FAILED (UNKNOWN_PLATFORM), or DEVICE_NO_REQUIRED: a hosted device needs its deviceNo first',
    schema: API_SCHEMAS.error,
  })
  @NOT_FOUND
  putHosting(@Param('deviceId') deviceId: string, @Body() body: unknown, @Req() request: Request) {
    return this.setHosting.execute(toSetDeviceHostingCommand(deviceId, body, principalOf(request)));
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
    description:
      'VALIDATION_FAILED (INVALID_DEVICE_NO), or DEVICE_NO_REQUIRED: a hosted device cannot forget its number',
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
