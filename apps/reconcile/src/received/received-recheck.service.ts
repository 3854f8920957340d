import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK, ID_SOURCE, IdSource, sleep } from '@lib/common';
import { addMonths, periodOf } from '@lib/domain';
import { RECONCILE_ACTOR } from '../findings/finding.model';
import { ReceivedChecksService } from './received-checks.service';
import { ReceivedInvoicesRepository } from './received-invoices.repository';
import { RECEIVED_SETTINGS, ReceivedSettings } from './received.settings';

export interface RecheckRound {
  claimed: number;
  checked: number;
  /** No check left today on any channel: put off to the next Shanghai day, nothing sent. */
  deferred: number;
  failed: number;
}

/**
 * The scheduled re-check of received invoices of the open periods (this month and the last, whose deductions are still
 * being filed): a supplier may void or red-reverse an invoice after we checked it, or an invoice not yet visible (T+1)
 * appears. Each round claims due invoices FOR UPDATE SKIP LOCKED under a lease (ReceivedInvoicesRepository.claimDue),
 * so two replicas never check one invoice at once, and a check is recorded only while its claim is held. Within quota:
 * an invoice with no check left today waits for the next day.
 */
@Injectable()
export class ReceivedRecheckService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReceivedRecheck');
  /** This replica's name on its claims. */
  private readonly worker: string;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly invoices: ReceivedInvoicesRepository,
    private readonly checks: ReceivedChecksService,
    @Inject(RECEIVED_SETTINGS) private readonly settings: ReceivedSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_SOURCE) ids: IdSource,
  ) {
    this.worker = `recheck-${ids.uuid()}`;
  }

  onApplicationBootstrap(): void {
    if (this.settings.recheckEnabled) this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  async tick(worker = this.worker): Promise<RecheckRound> {
    const now = this.clock.now();
    const claimed = await this.invoices.claimDue(
      this.dataSource.manager,
      worker,
      now,
      new Date(now.getTime() + this.settings.claimMs),
      addMonths(periodOf(now), -1),
      this.settings.recheckBatch,
    );
    const round: RecheckRound = { claimed: claimed.length, checked: 0, deferred: 0, failed: 0 };
    for (const inv of claimed) {
      try {
        const outcome = await this.checks.check(inv, RECONCILE_ACTOR, 'recheck', worker);
        if (outcome.kind === 'checked') round.checked += 1;
        else {
          round.deferred += 1;
          await this.invoices.release(this.dataSource.manager, inv.id, worker, outcome.retryAt);
        }
      } catch (error) {
        round.failed += 1;
        this.logger.warn({ err: error, receivedInvoiceId: inv.id }, 're-check of a received invoice failed; tried again later');
        await this.invoices.release(this.dataSource.manager, inv.id, worker, new Date(this.clock.now().getTime() + this.settings.retryAfterMs));
      }
    }
    return round;
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      try {
        await this.tick();
      } catch (error) {
        this.logger.error({ err: error }, 're-check round failed');
      }
      await sleep(this.settings.recheckPollMs, this.stopping.signal).catch(() => undefined);
    }
  }
}
