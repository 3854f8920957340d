import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ListRecipientsUseCase } from '../use-cases/list-recipients/list-recipients.use-case';
import { RemoveRecipientUseCase } from '../use-cases/remove-recipient/remove-recipient.use-case';
import { SaveRecipientUseCase } from '../use-cases/save-recipient/save-recipient.use-case';
import { AdminGuard, openApiSchema, parseInput } from '@lib/platform';
import { idParamSchema, listRecipientsQuerySchema, recipientBodySchema } from './admin.schemas';
import { recipientView } from './views';

/** Finance staff who receive alerts, and where each is responsible (taxpayer, branch, level). */
@ApiTags('recipients')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('v1/recipients')
export class RecipientsController {
  constructor(
    private readonly save: SaveRecipientUseCase,
    private readonly lists: ListRecipientsUseCase,
    private readonly removeRecipient: RemoveRecipientUseCase,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Recipients responsible for a taxpayer (and branch), or all' })
  @ApiQuery({ name: 'taxNo', required: false })
  @ApiQuery({ name: 'branchId', required: false })
  async list(@Query() query: unknown) {
    return {
      items: (await this.lists.list(parseInput(listRecipientsQuerySchema, query, 'query'))).map(
        recipientView,
      ),
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One recipient with their scopes' })
  @ApiParam({ name: 'id' })
  async get(@Param('id') id: string) {
    return recipientView(await this.lists.get(parseInput(idParamSchema, id, 'id')));
  }

  @Post()
  @ApiOperation({ summary: 'Adds a recipient with their scopes' })
  @ApiBody({ schema: openApiSchema(recipientBodySchema) })
  async create(@Body() body: unknown) {
    return recipientView(await this.save.execute(parseInput(recipientBodySchema, body, 'body')));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replaces a recipient and their scopes' })
  @ApiParam({ name: 'id' })
  @ApiBody({ schema: openApiSchema(recipientBodySchema) })
  async replace(@Param('id') id: string, @Body() body: unknown) {
    return recipientView(
      await this.save.execute(
        parseInput(recipientBodySchema, body, 'body'),
        parseInput(idParamSchema, id, 'id'),
      ),
    );
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Removes a recipient; their delivery log stays' })
  @HttpCode(204)
  @ApiParam({ name: 'id' })
  async remove(@Param('id') id: string): Promise<void> {
    await this.removeRecipient.execute(parseInput(idParamSchema, id, 'id'));
  }
}
