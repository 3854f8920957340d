import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@lib/common';
import { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { RateLimitDecision, TokenBucketLimiter } from './token-bucket.limiter';
import { GatewayErrorCode } from '../gateway-error-codes';

/** GATEWAY_RATE_LIMIT_PER_MINUTE requests per device (per replica), answered 429 with Retry-After beyond it. */
@Injectable()
export class DeviceRateLimiter {
  private readonly limiter: TokenBucketLimiter;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    const perMinute = config.GATEWAY_RATE_LIMIT_PER_MINUTE;
    this.limiter = new TokenBucketLimiter(perMinute, config.GATEWAY_RATE_LIMIT_BURST || perMinute);
  }

  /** Refuses a device whose bucket is empty, taking nothing (so checks that cost a query can wait for `take`). */
  ensureCapacity(deviceId: string, now: Date): void {
    refuse(this.limiter.peek(deviceId, now.getTime()));
  }

  /** Takes one of the device's tokens, or refuses. */
  take(deviceId: string, now: Date): void {
    refuse(this.limiter.take(deviceId, now.getTime()));
  }
}

function refuse(decision: RateLimitDecision): void {
  if (decision.allowed) return;
  throw new AppError(
    GatewayErrorCode.RATE_LIMITED,
    'rate_limited',
    'too many requests from this device; retry later',
    {
      retryAfterSeconds: decision.retryAfterSeconds,
    },
  );
}
