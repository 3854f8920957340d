import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AuthGuard, openApiSchema, Requires } from '@lib/platform';
import { breakerSnapshot } from '@lib/resilience';
import { TargetAdapters } from '../targets/target-adapters';

const windowStatsSchema = z.object({
  successes: z.number().int(),
  failures: z.number().int(),
  timeouts: z.number().int(),
  rejects: z.number().int(),
});

/** `GET /v1/targets`. */
export const targetsResponseSchema = z.object({
  items: z.array(
    z.object({
      target: z.string(),
      breaker: z.enum(['closed', 'half-open', 'open']),
      since: z.string().nullable().optional(),
      stats: windowStatsSchema.optional(),
    }),
  ),
});
export type TargetsResponse = z.infer<typeof targetsResponseSchema>;

/**
 * The breaker of each target this process knows (every registered target, and any adapter it was given), read from the
 * breakers its clients created. A target without a breaker here (not configured, or a test's fake) is closed, with
 * neither `since` nor `stats`.
 */
@ApiTags('targets')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/targets')
export class TargetsController {
  constructor(private readonly adapters: TargetAdapters) {}

  @Get()
  @Requires('deliveries:read')
  @ApiOperation({ summary: "Each target's circuit breaker: closed, half-open or open, since when, and its rolling window" })
  @ApiOkResponse({ schema: openApiSchema(targetsResponseSchema, 'output') })
  list(): TargetsResponse {
    const names = [...new Set([...this.adapters.registry.names(), ...this.adapters.targets()])];
    return {
      items: names.map((target) => {
        const snapshot = breakerSnapshot(target);
        if (!snapshot) return { target, breaker: 'closed', since: null };
        return { target, breaker: snapshot.state, since: snapshot.since, stats: snapshot.stats };
      }),
    };
  }
}
