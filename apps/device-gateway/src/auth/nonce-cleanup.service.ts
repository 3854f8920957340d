import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock, CLOCK } from '@lib/common';
import { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { NonceRepository } from './nonce.repository';

const BATCH = 5_000;

/** Purges expired nonces periodically. Every replica runs it; deleting the same expired rows twice is harmless. */
@Injectable()
export class NonceCleanupService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('NonceCleanup');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly nonces: NonceRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.purge()
        .then(() => undefined)
        .finally(() => (this.running = undefined));
    }, this.config.GATEWAY_NONCE_CLEANUP_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Returns how many nonces were deleted. */
  async purge(): Promise<number> {
    let total = 0;
    try {
      for (let deleted = BATCH; deleted === BATCH; total += deleted) {
        deleted = await this.nonces.purgeExpired(this.clock.now(), BATCH);
      }
    } catch (error) {
      this.logger.warn(
        `nonce cleanup failed; next attempt in ${this.config.GATEWAY_NONCE_CLEANUP_INTERVAL_MS} ms: ${String(error)}`,
      );
    }
    return total;
  }
}
