import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { NOTIFICATION_CHANNELS } from '@lib/notifications';
import { AuthGuard, openApiSchema, parseInput, principalOf, Requires } from '@lib/platform';
import { NOTIFICATION_STATUSES } from '../notifications/notification.model';
import { notificationNotFound } from '../notifier.exception';
import { ResendNotificationUseCase } from '../use-cases/resend-notification/resend-notification.use-case';
import { TestSendUseCase } from '../use-cases/test-send/test-send.use-case';
import { listNotificationsQuerySchema, numericIdSchema, testSendBodySchema } from './admin.schemas';
import { ScopedReadsRepository } from '../notifications/scoped-reads.repository';
import { notificationView } from './views';

/**
 * The delivery log (queued, sent, failed, with provider ids), resends and test sends. A caller limited to branches
 * sees the notifications about findings of those branches only (see ScopedReadsRepository).
 */
@ApiTags('notifications')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1')
export class NotificationsController {
  constructor(
    private readonly reads: ScopedReadsRepository,
    private readonly resend: ResendNotificationUseCase,
    private readonly testSend: TestSendUseCase,
  ) {}

  @Get('notifications')
  @Requires('notifications:read')
  @ApiOperation({ summary: "Delivery log, oldest first, within the caller's branches; addresses masked" })
  @ApiQuery({ name: 'findingId', required: false })
  @ApiQuery({ name: 'recipient', required: false, description: 'recipient id' })
  @ApiQuery({ name: 'status', required: false, enum: NOTIFICATION_STATUSES })
  @ApiQuery({ name: 'channel', required: false, enum: NOTIFICATION_CHANNELS })
  @ApiQuery({ name: 'branchId', required: false, description: "the finding's branch" })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async list(@Query() query: unknown, @Req() request: Request) {
    const { recipient, ...rest } = parseInput(listNotificationsQuerySchema, query, 'query');
    const page = await this.reads.notifications(
      { ...rest, recipientId: recipient },
      principalOf(request).scope,
    );
    return { items: page.items.map(notificationView), nextCursor: page.nextCursor };
  }

  @Get('notifications/:id')
  @Requires('notifications:read')
  @ApiOperation({ summary: 'One notification of the delivery log; addresses masked' })
  @ApiParam({ name: 'id' })
  async get(@Param('id') id: string, @Req() request: Request) {
    const parsed = parseInput(numericIdSchema, id, 'id');
    const row = await this.reads.notification(parsed, principalOf(request).scope);
    if (!row) throw notificationNotFound(parsed);
    return notificationView(row);
  }

  @Post('notifications/:id/resend')
  @Requires('notifications:resend')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Queues a failed or held (outcome unknown) notification again, same Message-ID / OutId',
  })
  @ApiParam({ name: 'id' })
  async resendOne(@Param('id') id: string, @Req() request: Request) {
    return notificationView(
      await this.resend.execute(parseInput(numericIdSchema, id, 'id'), principalOf(request)),
    );
  }

  @Post('test-send')
  @Requires('notifications:resend')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Queues a test message to a recipient on one channel; follow it in the delivery log',
  })
  @ApiBody({ schema: openApiSchema(testSendBodySchema) })
  async test(@Body() body: unknown, @Req() request: Request) {
    const { recipientId, channel } = parseInput(testSendBodySchema, body, 'body');
    return notificationView(await this.testSend.execute(recipientId, channel, principalOf(request)));
  }
}
