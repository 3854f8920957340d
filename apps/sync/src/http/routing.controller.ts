import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, Req, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { AppError } from '@lib/common';
import { TargetRegistry } from '@lib/providers';
import { StoredRouting, targetsOf } from '../routing/routing.model';
import { GetRoutingUseCase } from '../use-cases/get-routing/get-routing.use-case';
import { ListRoutingUseCase } from '../use-cases/list-routing/list-routing.use-case';
import { RemoveRoutingUseCase } from '../use-cases/remove-routing/remove-routing.use-case';
import { UpdateRoutingUseCase } from '../use-cases/update-routing/update-routing.use-case';
import { AuthGuard, openApiSchema, parseInput, principalOf, Requires } from '@lib/platform';
import { listRoutingQuerySchema, routingBodySchema, taxNoParamSchema } from './admin.schemas';
import { SyncErrorCode } from '../sync-error-codes';

/**
 * Which targets each taxpayer's invoices must reach (the authority always) and whether failover is allowed. Routing is
 * a taxpayer's setting, not a branch's: whoever may read routing reads every taxpayer's; only routing:manage changes it.
 */
@ApiTags('routing')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/routing')
export class RoutingController {
  constructor(
    private readonly getRouting: GetRoutingUseCase,
    private readonly listRouting: ListRoutingUseCase,
    private readonly updateRouting: UpdateRoutingUseCase,
    private readonly removeRouting: RemoveRoutingUseCase,
    private readonly targets: TargetRegistry,
  ) {}

  @Get()
  @Requires('routing:read')
  @ApiOperation({ summary: 'List explicit routings (taxpayers without one use the configured default)' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  list(@Query() query: unknown) {
    const { cursor, limit } = parseInput(listRoutingQuerySchema, query, 'query');
    return this.listRouting.execute(cursor, limit);
  }

  @Get(':taxNo')
  @Requires('routing:read')
  @ApiOperation({ summary: "A taxpayer's routing (explicit: false when the default applies)" })
  @ApiParam({ name: 'taxNo', description: 'USCC or legacy taxpayer id' })
  async get(@Param('taxNo') taxNo: string) {
    return view(
      this.targets.authority(),
      await this.getRouting.execute(parseInput(taxNoParamSchema, taxNo, 'taxNo')),
    );
  }

  @Put(':taxNo')
  @Requires('routing:manage')
  @ApiOperation({
    summary: "Sets a taxpayer's platforms and failover; applies to invoices received from now on",
  })
  @ApiParam({ name: 'taxNo' })
  @ApiBody({ schema: openApiSchema(routingBodySchema) })
  @ApiResponse({ status: 200, description: 'the stored routing' })
  async put(@Param('taxNo') taxNo: string, @Body() body: unknown, @Req() request: Request) {
    const parsedTaxNo = parseInput(taxNoParamSchema, taxNo, 'taxNo');
    const input = parseInput(routingBodySchema, body, 'body');
    refuseQueryOnly(this.targets, input.platforms);
    return view(
      this.targets.authority(),
      await this.updateRouting.execute({ taxNo: parsedTaxNo, ...input }, principalOf(request)),
    );
  }

  @Delete(':taxNo')
  @Requires('routing:manage')
  @HttpCode(204)
  @ApiOperation({ summary: "Removes a taxpayer's routing (the default applies again)" })
  @ApiParam({ name: 'taxNo' })
  async remove(@Param('taxNo') taxNo: string, @Req() request: Request): Promise<void> {
    await this.removeRouting.execute(parseInput(taxNoParamSchema, taxNo, 'taxNo'), principalOf(request));
  }
}

function view(authority: string, routing: StoredRouting) {
  return {
    taxNo: routing.taxNo,
    targets: targetsOf(routing, authority),
    platforms: routing.platforms,
    allowFailover: routing.allowFailover,
    explicit: routing.explicit,
    updatedBy: routing.explicit ? routing.updatedBy : null,
    updatedAt: routing.explicit ? routing.updatedAt.toISOString() : null,
  };
}

/**
 * A query-only target (Nuonuo: its API issues new invoices and takes none a device issued) cannot be routed to: 400
 * PLATFORM_QUERY_ONLY, one detail per such name, rather than a routing that silently delivers nothing there.
 */
function refuseQueryOnly(targets: TargetRegistry, platforms: readonly string[]): void {
  const details = platforms.flatMap((name, i) =>
    targets.isQueryOnly(name)
      ? [{ code: SyncErrorCode.PLATFORM_QUERY_ONLY, field: `body.platforms.${i}`, message: `${name} is a query channel: nothing is delivered to it (docs/sync.md)` }]
      : [],
  );
  if (details.length > 0)
    throw new AppError(SyncErrorCode.PLATFORM_QUERY_ONLY, 'validation', `not a delivery platform: ${details.map((d) => d.message).join('; ')}`, { details });
}
