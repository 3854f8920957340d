import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import {
  announceMaintenanceSchema,
  cancelMaintenanceSchema,
  changeMaintenanceSchema,
  MAINTENANCE_STATES,
  MAINTENANCE_TARGETS,
  uuidSchema,
} from '@lib/contracts';
import { AuthGuard, openApiSchema, parseInput, principalOf, Requires } from '@lib/platform';
import { listWindowsQuerySchema } from './maintenance-windows.schemas';
import { MaintenanceWindowsService } from './maintenance-windows.service';

/**
 * Maintenance windows (docs/maintenance.md): announced, changed and cancelled by an admin (maintenance:manage, which
 * only the admin role has), read by whoever reads runs. Every change names the person in the audit log.
 */
@ApiTags('maintenance-windows')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/maintenance-windows')
export class MaintenanceWindowsController {
  constructor(private readonly windows: MaintenanceWindowsService) {}

  @Post()
  @Requires('maintenance:manage')
  @ApiOperation({ summary: 'Announce a maintenance window (ours, the authority’s or a platform’s); recipients are told' })
  @ApiBody({ schema: openApiSchema(announceMaintenanceSchema) })
  announce(@Body() body: unknown, @Req() request: Request) {
    return this.windows.announce(parseInput(announceMaintenanceSchema, body ?? {}, 'body'), principalOf(request));
  }

  @Get()
  @Requires('runs:read')
  @ApiOperation({ summary: 'Maintenance windows, latest start first' })
  @ApiQuery({ name: 'state', required: false, enum: MAINTENANCE_STATES })
  @ApiQuery({ name: 'target', required: false, enum: MAINTENANCE_TARGETS })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  list(@Query() query: unknown) {
    return this.windows.list(parseInput(listWindowsQuerySchema, query, 'query'));
  }

  @Get(':id')
  @Requires('runs:read')
  @ApiOperation({ summary: 'One maintenance window (404 MAINTENANCE_WINDOW_NOT_FOUND when unknown)' })
  @ApiParam({ name: 'id' })
  get(@Param('id') id: string) {
    return this.windows.get(parseInput(uuidSchema, id, 'id'));
  }

  @Patch(':id')
  @Requires('maintenance:manage')
  @ApiOperation({ summary: 'Change a window that has not ended (times, target, reason, taxpayers); recipients are told' })
  @ApiParam({ name: 'id' })
  @ApiBody({ schema: openApiSchema(changeMaintenanceSchema) })
  change(@Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    return this.windows.change(
      parseInput(uuidSchema, id, 'id'),
      parseInput(changeMaintenanceSchema, body ?? {}, 'body'),
      principalOf(request),
    );
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Requires('maintenance:manage')
  @ApiOperation({ summary: 'Cancel a window that has not ended; recipients are told of the cancellation' })
  @ApiParam({ name: 'id' })
  @ApiBody({ schema: openApiSchema(cancelMaintenanceSchema) })
  cancel(@Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    return this.windows.cancel(
      parseInput(uuidSchema, id, 'id'),
      parseInput(cancelMaintenanceSchema, body ?? {}, 'body').reason,
      principalOf(request),
    );
  }
}
