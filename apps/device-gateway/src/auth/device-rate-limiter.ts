import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@lib/common';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';
import { TokenBucketLimiter } from './token-bucket.limiter';

/** GATEWAY_RATE_LIMIT_PER_MINUTE requests per device (per replica), answered 429 with Retry-After beyond it. */
@Injectable()
export class DeviceRateLimiter {
  private readonly limiter: TokenBucketLimiter;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    const perMinute = config.GATEWAY_RATE_LIMIT_PER_MINUTE;
    this.limiter = new TokenBucketLimiter(perMinute, config.GATEWAY_RATE_LIMIT_BURST || perMinute);
  }

  check(deviceId: string, now: Date): void {
    const decision = this.limiter.take(deviceId, now.getTime());
    if (decision.allowed) return;
    throw new AppError('RATE_LIMITED', 'rate_limited', 'too many requests from this device; retry later', {
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }
}
