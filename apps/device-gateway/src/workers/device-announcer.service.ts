import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AnnounceDevicesUseCase } from '../use-cases/announce-devices/announce-devices.use-case';

/** Pause before announcing again after a failure (the database went away while the gateway started). */
export const ANNOUNCE_RETRY_MS = 30_000;

/**
 * Announces the devices still owed a `device.changed` when the gateway starts, in the background: serving devices
 * does not wait for it. A failure is logged and tried again later, until one run completes.
 */
@Injectable()
export class DeviceAnnouncer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeviceAnnouncer');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly announce: AnnounceDevicesUseCase) {}

  onApplicationBootstrap(): void {
    this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private start(): void {
    this.running = this.announce.execute().then(
      (announced) => {
        if (announced > 0) this.logger.log({ announced }, 'devices announced (device.changed snapshot)');
      },
      (error: unknown) => {
        this.logger.warn({ err: error, retryInMs: ANNOUNCE_RETRY_MS }, 'announcing devices failed');
        if (this.stopped) return;
        this.timer = setTimeout(() => this.start(), ANNOUNCE_RETRY_MS);
        this.timer.unref();
      },
    );
  }
}
