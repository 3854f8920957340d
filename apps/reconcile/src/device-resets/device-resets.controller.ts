import { uuidSchema } from '@lib/contracts';
import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthGuard, bearerToken, openApiSchema, parseInput, principalOf, Requires } from '@lib/platform';
import { RESET_STATES, RESET_STEPS } from './device-reset.model';
import {
  cancelResetSchema,
  createResetSchema,
  listResetsQuerySchema,
  stepBodySchema,
  stepParamSchema,
} from './device-resets.schemas';
import { DeviceResetsService } from './device-resets.service';
import { ResetBackupService } from './reset-backup.service';

/**
 * Guided device resets (清盘 / 重置), docs/device-operations.md "Guided reset". Changes need devices:manage, reads
 * devices:read; a reset outside the caller's branches answers 404 RESET_NOT_FOUND exactly as an unknown one. The
 * caller's own bearer token goes on to the device gateway for the steps that change the device.
 */
@ApiTags('device-resets')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/device-resets')
export class DeviceResetsController {
  constructor(
    private readonly resets: DeviceResetsService,
    private readonly backups: ResetBackupService,
  ) {}

  @Post()
  @Requires('devices:manage')
  @ApiOperation({ summary: 'Start a reset of a device (one open reset per device: 409 RESET_ALREADY_OPEN)' })
  @ApiBody({ schema: openApiSchema(createResetSchema) })
  create(@Body() body: unknown, @Req() request: Request) {
    return this.resets.create(
      parseInput(createResetSchema, body ?? {}, 'body'),
      principalOf(request),
      bearerToken(request),
    );
  }

  @Get()
  @Requires('devices:read')
  @ApiOperation({ summary: "Resets within the caller's branches, newest first" })
  @ApiQuery({ name: 'deviceId', required: false, description: 'the device or its replacement' })
  @ApiQuery({ name: 'state', required: false, enum: RESET_STATES })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  list(@Query() query: unknown, @Req() request: Request) {
    return this.resets.list(principalOf(request).scope, parseInput(listResetsQuerySchema, query, 'query'));
  }

  @Get(':id')
  @Requires('devices:read')
  @ApiOperation({
    summary: 'One reset with every step recorded (404 when unknown or outside the caller’s branches)',
  })
  @ApiParam({ name: 'id' })
  get(@Param('id') id: string, @Req() request: Request) {
    return this.resets.get(parseInput(uuidSchema, id, 'id'), principalOf(request).scope);
  }

  @Get(':id/backup.csv')
  @Requires('devices:manage')
  @ApiProduces('text/csv')
  @ApiOperation({
    summary:
      "The device's ledger invoices of the open and the previous period (UTF-8 CSV with BOM); the first complete download completes the backup step",
  })
  @ApiParam({ name: 'id' })
  backup(@Param('id') id: string, @Req() request: Request, @Res() response: Response) {
    return this.backups.download(parseInput(uuidSchema, id, 'id'), principalOf(request), response);
  }

  @Post(':id/steps/:step')
  @HttpCode(200)
  @Requires('devices:manage')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Perform the next step (suspend, rekey, resync, verify, closed); rekey answers the new secret once. Out of order: 409 RESET_STEP_OUT_OF_ORDER; failed: 409 RESET_STEP_FAILED, recorded',
  })
  @ApiParam({ name: 'id' })
  @ApiParam({ name: 'step', enum: RESET_STEPS })
  @ApiBody({ schema: openApiSchema(stepBodySchema), required: false })
  step(@Param('id') id: string, @Param('step') step: string, @Body() body: unknown, @Req() request: Request) {
    return this.resets.performStep(
      parseInput(uuidSchema, id, 'id'),
      parseInput(stepParamSchema, step, 'step'),
      parseInput(stepBodySchema, body ?? {}, 'body').note,
      principalOf(request),
      bearerToken(request),
    );
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Requires('devices:manage')
  @ApiOperation({ summary: 'Give the reset up (the device keeps the status the gateway has)' })
  @ApiParam({ name: 'id' })
  @ApiBody({ schema: openApiSchema(cancelResetSchema) })
  cancel(@Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    return this.resets.cancel(
      parseInput(uuidSchema, id, 'id'),
      parseInput(cancelResetSchema, body ?? {}, 'body').reason,
      principalOf(request),
    );
  }
}
