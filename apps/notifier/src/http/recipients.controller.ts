import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthGuard, openApiSchema, parseInput, principalOf, Requires } from '@lib/platform';
import { recipientNotFound } from '../notifier.exception';
import { RemoveRoutingEntryUseCase } from '../use-cases/remove-routing-entry/remove-routing-entry.use-case';
import { SaveRecipientUseCase } from '../use-cases/save-recipient/save-recipient.use-case';
import { ScopedReadsRepository } from '../notifications/scoped-reads.repository';
import { idParamSchema, listRecipientsQuerySchema, recipientBodySchema } from './admin.schemas';
import { recipientView } from './views';

/**
 * Finance staff who receive alerts, and where each is responsible (taxpayer, branch, level). A caller limited to
 * branches sees the recipients responsible for one of those branches; changes need notifications:manage.
 */
@ApiTags('recipients')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/recipients')
export class RecipientsController {
  constructor(
    private readonly reads: ScopedReadsRepository,
    private readonly saveRecipient: SaveRecipientUseCase,
    private readonly removals: RemoveRoutingEntryUseCase,
  ) {}

  @Get()
  @Requires('notifications:read')
  @ApiOperation({ summary: 'Recipients responsible for a taxpayer (and branch), or all' })
  @ApiQuery({ name: 'taxNo', required: false })
  @ApiQuery({ name: 'branchId', required: false })
  async list(@Query() query: unknown, @Req() request: Request) {
    const filter = parseInput(listRecipientsQuerySchema, query, 'query');
    return { items: (await this.reads.recipients(filter, principalOf(request).scope)).map(recipientView) };
  }

  @Get(':id')
  @Requires('notifications:read')
  @ApiOperation({ summary: 'One recipient with their scopes' })
  @ApiParam({ name: 'id' })
  async get(@Param('id') id: string, @Req() request: Request) {
    const parsed = parseInput(idParamSchema, id, 'id');
    const recipient = await this.reads.recipient(parsed, principalOf(request).scope);
    if (!recipient) throw recipientNotFound(parsed);
    return recipientView(recipient);
  }

  @Post()
  @Requires('notifications:manage')
  @ApiOperation({ summary: 'Adds a recipient with their scopes' })
  @ApiBody({ schema: openApiSchema(recipientBodySchema) })
  async create(@Body() body: unknown, @Req() request: Request) {
    return recipientView(
      await this.saveRecipient.execute(parseInput(recipientBodySchema, body, 'body'), principalOf(request)),
    );
  }

  @Put(':id')
  @Requires('notifications:manage')
  @ApiOperation({ summary: 'Replaces a recipient and their scopes' })
  @ApiParam({ name: 'id' })
  @ApiBody({ schema: openApiSchema(recipientBodySchema) })
  async replace(@Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    return recipientView(
      await this.saveRecipient.execute(
        parseInput(recipientBodySchema, body, 'body'),
        principalOf(request),
        parseInput(idParamSchema, id, 'id'),
      ),
    );
  }

  @Delete(':id')
  @Requires('notifications:manage')
  @ApiOperation({ summary: 'Removes a recipient; their delivery log stays' })
  @HttpCode(204)
  @ApiParam({ name: 'id' })
  async remove(@Param('id') id: string, @Req() request: Request): Promise<void> {
    await this.removals.recipient(parseInput(idParamSchema, id, 'id'), principalOf(request));
  }
}
