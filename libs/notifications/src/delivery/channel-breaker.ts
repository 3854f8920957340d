import CircuitBreaker from 'opossum';
import { ChannelDeliveryError, isChannelDeliveryError, NotificationChannel } from './delivery-failure';
import { NotificationsErrorCode } from '../notifications-error-codes';

export interface ChannelBreakerSettings {
  errorThresholdPercentage: number;
  volumeThreshold: number;
  resetTimeoutMs: number;
  rollingCountTimeoutMs: number;
}

export const DEFAULT_CHANNEL_BREAKER: ChannelBreakerSettings = {
  errorThresholdPercentage: 50,
  volumeThreshold: 5,
  resetTimeoutMs: 5_000,
  rollingCountTimeoutMs: 10_000,
};

/**
 * One opossum breaker per channel: while the provider is down, sends fail fast as `not_sent`
 * (BREAKER_OPEN) instead of each waiting for its own timeout. A rejection (the provider understood and
 * refused) says nothing about the provider's health and does not count, nor does a failure `healthy` calls a
 * sign of a working provider (a group robot's "too many messages": that robot must wait, the others need not).
 */
export class ChannelBreaker<A, R> {
  private readonly breaker: CircuitBreaker<[A], R>;

  constructor(
    private readonly channel: NotificationChannel,
    action: (arg: A) => Promise<R>,
    settings: Partial<ChannelBreakerSettings> = {},
    healthy: (error: ChannelDeliveryError) => boolean = () => false,
  ) {
    const s = { ...DEFAULT_CHANNEL_BREAKER, ...settings };
    this.breaker = new CircuitBreaker(action, {
      name: `notify-${channel}`,
      timeout: false, // the transport owns its timeouts
      errorThresholdPercentage: s.errorThresholdPercentage,
      volumeThreshold: s.volumeThreshold,
      resetTimeout: s.resetTimeoutMs,
      rollingCountTimeout: s.rollingCountTimeoutMs,
      errorFilter: (error: unknown) =>
        isChannelDeliveryError(error) && (error.outcome === 'rejected' || healthy(error)),
    });
  }

  get isOpen(): boolean {
    return this.breaker.opened;
  }

  async fire(arg: A): Promise<R> {
    try {
      return await this.breaker.fire(arg);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'EOPENBREAKER') {
        throw new ChannelDeliveryError(
          this.channel,
          'not_sent',
          NotificationsErrorCode.BREAKER_OPEN,
          `${this.channel}: circuit breaker is open`,
        );
      }
      throw error;
    }
  }

  shutdown(): void {
    this.breaker.shutdown();
  }
}
