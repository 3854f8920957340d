import {
  Body,
  Controller,
  createParamDecorator,
  ExecutionContext,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
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
import { AdminGuard, adminOf, AdminPrincipal } from '@lib/platform';
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

/** The principal the shared AdminGuard attached (libs/platform). */
const CurrentAdmin = createParamDecorator((_data: unknown, ctx: ExecutionContext): AdminPrincipal =>
  adminOf(ctx.switchToHttp().getRequest<Request>()),
);

const NOT_FOUND = ApiResponse({ status: 404, description: 'DEVICE_NOT_FOUND', schema: API_SCHEMAS.error });

/** The device registry. Answers that carry a secret are marked no-store; request logs never include bodies. */
@ApiTags('admin')
@ApiBearerAuth()
@AdminApiDocs()
@Controller('v1/admin')
@UseGuards(AdminGuard)
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
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Register a device; the secret is shown only in this answer' })
  @ApiBody({ schema: API_SCHEMAS.registerDevice })
  @ApiCreatedResponse({ schema: API_SCHEMAS.registeredDevice })
  @ApiResponse({
    status: 400,
    description: 'VALIDATION_FAILED (e.g. INVALID_TAX_NO, INVALID_DEVICE_NO)',
    schema: API_SCHEMAS.error,
  })
  register(@Body() body: unknown, @CurrentAdmin() admin: AdminPrincipal) {
    return this.registerDevice.execute(toRegisterDeviceCommand(body, admin));
  }

  @Get('devices')
  @ApiOperation({ summary: 'List devices in registration order (keyset pages)' })
  @ApiQuery({ name: 'taxNo', required: false })
  @ApiQuery({ name: 'branchId', required: false })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'limit', required: false, description: '1-200, default 50' })
  @ApiOkResponse({ schema: API_SCHEMAS.devicePage })
  list(@Query() query: unknown) {
    return this.listDevices.execute(toListDevicesQuery(query));
  }

  @Get('devices/:deviceId')
  @ApiOperation({ summary: 'One device (never its secret)' })
  @ApiOkResponse({ schema: API_SCHEMAS.device })
  @NOT_FOUND
  get(@Param('deviceId') deviceId: string) {
    return this.getDevice.execute(deviceId);
  }

  @Post('devices/:deviceId/disable')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Disable a device (idempotent; other replicas follow within the device cache TTL)',
  })
  @ApiOkResponse({ schema: API_SCHEMAS.device })
  @NOT_FOUND
  disable(@Param('deviceId') deviceId: string, @CurrentAdmin() admin: AdminPrincipal) {
    return this.disableDevice.execute(deviceId, admin);
  }

  @Put('devices/:deviceId/device-no')
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
  putDeviceNo(
    @Param('deviceId') deviceId: string,
    @Body() body: unknown,
    @CurrentAdmin() admin: AdminPrincipal,
  ) {
    return this.setDeviceNo.execute(toSetDeviceNoCommand(deviceId, body, admin));
  }

  @Post('devices/:deviceId/rotate-secret')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Replace the secret; the new one is shown only in this answer' })
  @ApiOkResponse({ schema: API_SCHEMAS.rotatedSecret })
  @NOT_FOUND
  rotate(@Param('deviceId') deviceId: string, @CurrentAdmin() admin: AdminPrincipal) {
    return this.rotateSecret.execute(deviceId, admin);
  }

  @Post('secrets/re-encrypt')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Re-encrypt every device secret under GATEWAY_ACTIVE_KEY_ID (master key rotation)',
  })
  @ApiOkResponse({ schema: API_SCHEMAS.reencryption })
  reencrypt(@CurrentAdmin() admin: AdminPrincipal) {
    return this.reencryptSecrets.execute(admin);
  }
}
