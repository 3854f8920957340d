import { Logger } from '@nestjs/common';
import { Clock, sleep } from '@lib/common';
import { NotificationChannel } from '@lib/notifications';
import { ClaimedNotification } from '../notifications/notification.model';
import { NotificationQueueRepository } from '../notifications/notification-queue.repository';

export interface ChannelSenderOptions {
  channel: NotificationChannel;
  concurrency: number;
  leaseMs: number;
  idlePollMs: number;
}

/**
 * The sender loop of one channel: claims up to `concurrency` due notifications, sends them in parallel,
 * repeats; sleeps when nothing is due, and claims nothing while the channel's breaker is open.
 */
export class ChannelSender {
  private readonly logger: Logger;
  private readonly stopSignal = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly options: ChannelSenderOptions,
    private readonly queue: NotificationQueueRepository,
    private readonly isAvailable: () => boolean,
    private readonly send: (n: ClaimedNotification) => Promise<void>,
    private readonly clock: Clock,
  ) {
    this.logger = new Logger(`Sender:${options.channel}`);
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopSignal.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { channel, concurrency, leaseMs, idlePollMs } = this.options;
    while (!this.stopSignal.signal.aborted) {
      let claimed: ClaimedNotification[] = [];
      if (this.isAvailable()) {
        try {
          claimed = await this.queue.claimDue(channel, concurrency, this.clock.now(), leaseMs);
        } catch (error) {
          this.logger.error({ err: error }, 'claim failed; retrying');
        }
      }
      if (claimed.length === 0) {
        await sleep(idlePollMs, this.stopSignal.signal);
        continue;
      }
      await Promise.all(
        claimed.map((n) =>
          this.send(n).catch((error: unknown) =>
            // The claim stays `sending` until its lease ends, then it is taken over.
            this.logger.error(
              { err: error, notification: n.id },
              'send could not be recorded; taken over after the lease',
            ),
          ),
        ),
      );
    }
  }
}
