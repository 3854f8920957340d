import { Controller, Get, Query, Req, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { parseInput } from '@lib/platform';
import { ConsoleErrorsFilter } from './console-errors.filter';
import { SessionGate } from './session-gate';
import { SessionService } from '../session/session.service';
import { AuditPage, mergeAuditPage } from '../api/audit-merge';
import { SERVICES, ServiceName, Upstream } from '../api/upstream';

const auditQuerySchema = z.object({
  cursor: z.string().max(4000).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** The four services' audit logs as one, newest first. */
@ApiExcludeController()
@UseFilters(ConsoleErrorsFilter)
@Controller('api')
export class AuditController {
  constructor(
    private readonly gate: SessionGate,
    private readonly sessions: SessionService,
    private readonly upstream: Upstream,
  ) {}

  @Get('audit')
  async list(@Query() query: unknown, @Req() req: Request): Promise<AuditPage> {
    const session = await this.gate.require(req);
    const q = parseInput(auditQuerySchema, query, 'query');
    const token = await this.sessions.accessToken(session);
    return mergeAuditPage(SERVICES, q.cursor, q.limit, (service, cursor, limit) =>
      this.upstream.getJson<AuditPage>(service as ServiceName, auditPath(cursor, limit), token),
    );
  }
}

export function auditPath(cursor: string | null, limit: number): string {
  const params = new URLSearchParams({ limit: String(limit) });
  if (cursor) params.set('cursor', cursor);
  return `audit?${params}`;
}
