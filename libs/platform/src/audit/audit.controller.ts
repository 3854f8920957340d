import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthGuard, principalOf, Requires } from '../auth/auth.guard';
import { parseInput } from '../http';
import { AuditLog, auditQuerySchema } from './audit-log';

/** This service's audit log, newest first (the console merges the services' logs). */
@ApiTags('audit')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Requires('audit:read')
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @ApiOperation({ summary: "Who did what to which thing, newest first, within the caller's branch scope" })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'actor', required: false, description: 'subject or name' })
  @ApiQuery({ name: 'action', required: false })
  @ApiQuery({ name: 'targetType', required: false })
  @ApiQuery({ name: 'targetId', required: false })
  list(@Query() query: unknown, @Req() request: Request) {
    return this.audit.list(principalOf(request).scope, parseInput(auditQuerySchema, query, 'query'));
  }
}
