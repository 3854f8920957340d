import { Inject, Injectable, Logger } from '@nestjs/common';
import { backoffDelay, CLOCK, Clock, maskEmail, maskPhone } from '@lib/common';
import {
  ChannelDeliveryError,
  isChannelDeliveryError,
  NotificationChannel,
  NotificationsErrorCode,
  ProviderReceipt,
} from '@lib/notifications';
import { ChannelProviders } from '../../notifications/channel-providers';
import { ComposedMessage, MessageComposer } from '../../notifications/message.composer';
import { ClaimedNotification } from '../../notifications/notification.model';
import { NotificationRepository } from '../../notifications/notification.repository';
import { NotifierMetrics } from '../../notifications/notifier.metrics';
import { NotifierConfig } from '../../notifier.config';
import { NOTIFIER_CONFIG } from '../../notifier.tokens';
import { SendGates } from './send-gates';
import { NotifierErrorCode } from '../../notifier-error-codes';

/**
 * Sends one claimed notification, outside any transaction, and records the outcome. Waits that are not
 * failures (quiet hours, rate limit, an open breaker) reschedule without counting an attempt. A failure
 * that may have delivered an email or a group-robot message (outcome unknown) is held, never resent blindly, so
 * each is sent at most once; an SMS is retried with the same OutId, which the provider de-duplicates.
 */
@Injectable()
export class SendNotificationUseCase {
  private readonly logger = new Logger('Sender');

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly composer: MessageComposer,
    private readonly providers: ChannelProviders,
    private readonly gates: SendGates,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: NotifierMetrics,
  ) {}

  async execute(n: ClaimedNotification): Promise<void> {
    const now = this.clock.now();
    if (n.wasSending && !resendable(n.channel)) {
      // The previous sender died during the call: the server (or the group chat) may have the message.
      await this.finish(
        n,
        'unknown',
        new ChannelDeliveryError(
          n.channel,
          'unknown',
          NotifierErrorCode.SEND_INTERRUPTED,
          'the sender stopped during the send',
        ),
        false,
      );
      return;
    }
    const message = await this.composer.compose(n);
    if (message.channel === 'none') {
      await this.notifications.finish(
        n.id,
        'cancelled',
        now,
        { code: message.reason, message: 'nothing to announce any more' },
        false,
      );
      return;
    }
    const wait = await this.gates.releaseAt(n, now);
    if (wait) {
      await this.notifications.reschedule(n.id, wait.at, now, false, {
        code: wait.reason,
        message: `waiting: ${wait.reason}`,
      });
      return;
    }
    try {
      const receipt = await this.send(message);
      const sentAt = this.clock.now();
      await this.notifications.markSent(
        n.id,
        receipt,
        message.channel === 'sms' ? message.segments : null,
        sentAt,
      );
      this.metrics.attempt(n.channel, 'sent');
      this.metrics.sent(n.channel, n.kind, n.created_at, sentAt);
      this.logger.log(
        { notification: n.id, channel: n.channel, to: this.masked(n), providerId: receipt.providerMessageId },
        'notification sent',
      );
    } catch (error) {
      await this.failed(n, error);
    }
  }

  private send(message: Exclude<ComposedMessage, { channel: 'none' }>): Promise<ProviderReceipt> {
    if (message.channel === 'email') return this.providers.email.send(message.email);
    if (message.channel === 'sms') return this.providers.sms.send(message.sms);
    return this.providers.robot(message.channel).send(message.robot);
  }

  private async failed(n: ClaimedNotification, error: unknown): Promise<void> {
    const now = this.clock.now();
    const failure = isChannelDeliveryError(error)
      ? error
      : new ChannelDeliveryError(
          n.channel,
          'unknown',
          NotifierErrorCode.SEND_FAILED,
          error instanceof Error ? error.message : String(error),
          { cause: error },
        );
    this.metrics.attempt(n.channel, failure.outcome);
    this.logger.warn(
      {
        notification: n.id,
        channel: n.channel,
        to: this.masked(n),
        code: failure.code,
        outcome: failure.outcome,
      },
      'send failed',
    );
    if (failure.code === NotificationsErrorCode.BREAKER_OPEN) {
      await this.notifications.reschedule(
        n.id,
        new Date(now.getTime() + this.config.NOTIFIER_BREAKER_RETRY_MS),
        now,
        false,
        failure,
      );
      return;
    }
    if (failure.outcome === 'rejected') return this.finish(n, 'failed', failure, true);
    if (failure.outcome === 'unknown' && !resendable(n.channel))
      return this.finish(n, 'unknown', failure, true);
    if (n.attempts + 1 >= this.config.NOTIFIER_MAX_ATTEMPTS) return this.finish(n, 'failed', failure, true);
    const delay = Math.max(
      backoffDelay(n.attempts + 1, {
        initialMs: this.config.NOTIFIER_BACKOFF_INITIAL_MS,
        maxMs: this.config.NOTIFIER_BACKOFF_MAX_MS,
        multiplier: 2,
        jitter: 0.3,
      }),
      failure.retryAfterMs ?? 0,
    );
    await this.notifications.reschedule(n.id, new Date(now.getTime() + delay), now, true, failure);
  }

  private async finish(
    n: ClaimedNotification,
    status: 'failed' | 'unknown',
    failure: ChannelDeliveryError,
    countAttempt: boolean,
  ): Promise<void> {
    await this.notifications.finish(n.id, status, this.clock.now(), failure, countAttempt);
    this.metrics.failed(n.channel, status, failure.code);
  }

  private masked(n: ClaimedNotification): string {
    // A robot's destination is its name in configuration, not an address (its key stays in the provider).
    if (n.channel === 'email') return maskEmail(n.destination);
    return n.channel === 'sms' ? maskPhone(n.destination) : n.destination;
  }
}

/**
 * Whether a send whose outcome is unknown may be repeated: only SMS, whose OutId the provider de-duplicates. An
 * email or a group-robot message may already be there, and nothing would recognise the second one: it is held.
 */
function resendable(channel: NotificationChannel): boolean {
  return channel === 'sms';
}
