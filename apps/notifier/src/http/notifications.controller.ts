import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { NOTIFICATION_CHANNELS } from '@lib/notifications';
import { NOTIFICATION_STATUSES } from '../notifications/notification.model';
import { ListNotificationsUseCase } from '../use-cases/list-notifications/list-notifications.use-case';
import { ResendNotificationUseCase } from '../use-cases/resend-notification/resend-notification.use-case';
import { TestSendUseCase } from '../use-cases/test-send/test-send.use-case';
import { AdminGuard, openApiSchema, parseInput } from '@lib/platform';
import { listNotificationsQuerySchema, numericIdSchema, testSendBodySchema } from './admin.schemas';
import { notificationView } from './views';

/** The delivery log (queued, sent, failed, with provider ids), resends and test sends. */
@ApiTags('notifications')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('v1')
export class NotificationsController {
  constructor(
    private readonly lists: ListNotificationsUseCase,
    private readonly resend: ResendNotificationUseCase,
    private readonly testSend: TestSendUseCase,
  ) {}

  @Get('notifications')
  @ApiOperation({ summary: 'Delivery log, oldest first; addresses masked' })
  @ApiQuery({ name: 'findingId', required: false })
  @ApiQuery({ name: 'recipient', required: false, description: 'recipient id' })
  @ApiQuery({ name: 'status', required: false, enum: NOTIFICATION_STATUSES })
  @ApiQuery({ name: 'channel', required: false, enum: NOTIFICATION_CHANNELS })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async list(@Query() query: unknown) {
    const { recipient, ...rest } = parseInput(listNotificationsQuerySchema, query, 'query');
    const page = await this.lists.list({ ...rest, recipientId: recipient });
    return { items: page.items.map(notificationView), nextCursor: page.nextCursor };
  }

  @Get('notifications/:id')
  @ApiOperation({ summary: 'One notification of the delivery log; addresses masked' })
  @ApiParam({ name: 'id' })
  async get(@Param('id') id: string) {
    return notificationView(await this.lists.get(parseInput(numericIdSchema, id, 'id')));
  }

  @Post('notifications/:id/resend')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Queues a failed or held (outcome unknown) notification again, same Message-ID / OutId',
  })
  @ApiParam({ name: 'id' })
  async resendOne(@Param('id') id: string) {
    return notificationView(await this.resend.execute(parseInput(numericIdSchema, id, 'id')));
  }

  @Post('test-send')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Queues a test message to a recipient on one channel; follow it in the delivery log',
  })
  @ApiBody({ schema: openApiSchema(testSendBodySchema) })
  async test(@Body() body: unknown) {
    const { recipientId, channel } = parseInput(testSendBodySchema, body, 'body');
    return notificationView(await this.testSend.execute(recipientId, channel));
  }
}
