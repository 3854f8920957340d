import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, Clock, sleep } from '@lib/common';
import { NOTIFICATION_CHANNELS } from '@lib/notifications';
import { ChannelProviders } from '../notifications/channel-providers';
import { NotificationQueueRepository } from '../notifications/notification-queue.repository';
import { NotifierMetrics } from '../notifications/notifier.metrics';
import { NotifierConfig } from '../notifier.config';
import { NOTIFIER_CONFIG } from '../notifier.tokens';
import { EscalateFindingsUseCase } from '../use-cases/escalate-findings/escalate-findings.use-case';
import { FlushDigestsUseCase } from '../use-cases/flush-digests/flush-digests.use-case';
import { PruneDeadLettersUseCase } from '../use-cases/prune-dead-letters/prune-dead-letters.use-case';
import { SendNotificationUseCase } from '../use-cases/send-notification/send-notification.use-case';
import { ChannelSender } from './channel-sender';

/**
 * One sender per channel, plus the scheduler loop (escalations, digests, dead-letter retention, queue metrics).
 * Safe with replicas.
 */
@Injectable()
export class NotifierWorkersService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('NotifierWorkers');
  private readonly senders: ChannelSender[] = [];
  private readonly stopSignal = new AbortController();
  private scheduler?: Promise<void>;

  constructor(
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    private readonly queue: NotificationQueueRepository,
    private readonly providers: ChannelProviders,
    private readonly sendNotification: SendNotificationUseCase,
    private readonly escalate: EscalateFindingsUseCase,
    private readonly flushDigests: FlushDigestsUseCase,
    private readonly pruneDeadLetters: PruneDeadLettersUseCase,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: NotifierMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.NOTIFIER_WORKERS_ENABLED) return;
    for (const channel of NOTIFICATION_CHANNELS) {
      const sender = new ChannelSender(
        {
          channel,
          concurrency: this.config.NOTIFIER_SENDER_CONCURRENCY,
          leaseMs: this.config.NOTIFIER_SENDING_LEASE_MS,
          idlePollMs: this.config.NOTIFIER_IDLE_POLL_MS,
        },
        this.queue,
        () => this.providers.isAvailable(channel),
        (n) => this.sendNotification.execute(n),
        this.clock,
      );
      sender.start();
      this.senders.push(sender);
    }
    this.scheduler = this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopSignal.abort();
    await Promise.all(this.senders.map((s) => s.stop()));
    await this.scheduler;
  }

  /** Runs one scheduler pass now (tests with a frozen clock call it instead of waiting for the loop). */
  async tick(): Promise<void> {
    const escalated = await this.escalate.execute();
    const digests = await this.flushDigests.execute();
    const pruned = await this.pruneDeadLetters.execute();
    if (pruned) this.logger.log({ pruned }, 'pruned dead-letter arrivals past their retention');
    this.metrics.recorded('escalation', escalated);
    this.metrics.recorded('digest', digests);
    if (escalated || digests) this.logger.log({ escalated, digests }, 'scheduler recorded notifications');
    this.metrics.queue(await this.queue.stats(this.clock.now()));
  }

  private async schedule(): Promise<void> {
    while (!this.stopSignal.signal.aborted) {
      try {
        await this.tick();
      } catch (error) {
        this.logger.warn({ err: error }, 'scheduler pass failed; retrying');
      }
      await sleep(this.config.NOTIFIER_SCHEDULER_POLL_MS, this.stopSignal.signal);
    }
  }
}
