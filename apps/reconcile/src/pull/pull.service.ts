import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FindingType } from '@lib/contracts';
import { Clock, CLOCK, isAppError, sleep } from '@lib/common';
import { AUTHORITY_CHANNELS, AuthorityListChannel } from './authority-list.port';
import { describeFailure } from './channel-errors';
import { PerInvoicePullService } from './per-invoice-pull.service';
import { PER_INVOICE_CHANNEL, PullCoverage, supportedFindingTypes } from './pull-coverage';
import { PullMetrics } from './pull.metrics';
import { PullProgress, PullRun } from './pull-progress.port';
import { StagingRepository } from './staging.repository';
import { ReconcileErrorCode } from '../reconcile-error-codes';

export interface PullSettings {
  pageSize: number;
  minIntervalMs: number;
  pageAttempts: number;
  backoffMs: number;
  /** The run's lease, which each page's progress renews (the run records it: RunReconciliationUseCase). */
  leaseMs: number;
}

export const PULL_SETTINGS = Symbol('PULL_SETTINGS');

/**
 * `complete` means a listing channel returned the whole period (coverage `listed`). A per-invoice pull is
 * never complete in that sense: it says nothing of invoices only the authority has, so it is reported
 * `complete: false` with its coverage and the finding types it supports for the invoices it checked
 * (`supports`); the compare phase then evaluates MISSING_IN_AUTHORITY for the invoices checked absent,
 * mismatches on the records found, and no MISSING_IN_LEDGER (docs/reconcile.md, "Per-invoice channels").
 */
export type PullOutcome =
  | { complete: true; channel: string; coverage: 'listed'; supports: readonly FindingType[] }
  | {
      complete: false;
      channel: string | null;
      reason: string;
      coverage: PullCoverage | null;
      supports: readonly FindingType[];
      allChecked?: boolean;
      /** Per-invoice: the ledger invoices that got a conclusive answer. */
      checked?: number;
      /** Per-invoice: answers asked of a channel, and answers reused from an earlier run's (no call made). */
      checks?: { asked: number; reused: number };
    };

type ChannelOutcome = { ok: true } | { ok: false; reason: string };

/**
 * Pulls the authority's records of one run's scope, page by page, into staging. Each page and the
 * page token after it commit together, so a run taken over after a crash resumes where it stopped.
 * When a channel fails (after retries; at once when it is unavailable) the pull starts over on the
 * next channel; when every channel failed, the pull is incomplete and says why.
 */
@Injectable()
export class PullService {
  private readonly logger = new Logger(PullService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly staging: StagingRepository,
    private readonly perInvoice: PerInvoicePullService,
    @Inject(AUTHORITY_CHANNELS) private readonly channels: AuthorityListChannel[],
    @Inject(PULL_SETTINGS) private readonly settings: PullSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: PullMetrics,
  ) {}

  /** Pulls the run's scope; `progress` records each page's token with the page (the run's, given by whoever runs it). */
  async pull(run: PullRun, progress: PullProgress): Promise<PullOutcome> {
    if (run.channel === PER_INVOICE_CHANNEL && this.perInvoice.configured) {
      return this.pullPerInvoice(run, progress, true, ['resumed after a take-over']);
    }
    const reasons: string[] = [];
    const resumeAt = Math.max(0, this.channels.findIndex((c) => c.name === run.channel));
    for (let i = resumeAt; i < this.channels.length; i += 1) {
      const channel = this.channels[i];
      const resuming = i === resumeAt && run.channel === channel.name;
      if (!resuming) await this.restart(run, progress, channel.name);
      const outcome = await this.pullChannel(run, progress, channel, resuming ? run.pageToken : null, resuming ? run.pages : 0, resuming ? run.records : 0);
      if (outcome.ok) return { complete: true, channel: channel.name, coverage: 'listed', supports: supportedFindingTypes('listed') };
      reasons.push(`${channel.name}: ${outcome.reason}`);
      this.metrics.channelFailed(channel.name);
      this.logger.warn({ runId: run.id, channel: channel.name, reason: outcome.reason }, 'authority channel failed');
    }
    if (this.perInvoice.configured) {
      await this.restart(run, progress, PER_INVOICE_CHANNEL);
      return this.pullPerInvoice(run, progress, false, reasons);
    }
    return {
      complete: false,
      channel: this.channels.length ? this.channels[this.channels.length - 1].name : null,
      reason: reasons.join('; ') || 'no authority channel',
      coverage: null,
      supports: [],
    };
  }

  /** Every listing channel failed: ask about each ledger invoice instead (see PerInvoicePullService). */
  private async pullPerInvoice(run: PullRun, progress: PullProgress, resuming: boolean, reasons: string[]): Promise<PullOutcome> {
    const fresh = resuming ? run : { ...run, channel: PER_INVOICE_CHANNEL, pageToken: null, pages: 0, records: 0 };
    const outcome = await this.perInvoice.pull(fresh, progress, resuming);
    const note = 'coverage per-invoice: invoices only the authority has cannot be seen, so MISSING_IN_LEDGER is never evaluated';
    return {
      complete: false,
      channel: PER_INVOICE_CHANNEL,
      reason: [...reasons, `${PER_INVOICE_CHANNEL}: ${outcome.summary} (${note})`].join('; '),
      coverage: 'per-invoice',
      supports: supportedFindingTypes('per-invoice'),
      allChecked: outcome.allChecked,
      checked: outcome.checked,
      checks: { asked: outcome.asked, reused: outcome.reused },
    };
  }

  private async restart(run: PullRun, progress: PullProgress, channel: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.staging.clear(m, run.id);
      await progress.record(m, { phase: 'pulling', channel, pageToken: null, pages: 0, records: 0 });
    });
  }

  private async pullChannel(run: PullRun, progress: PullProgress, channel: AuthorityListChannel, token: string | null, pages: number, records: number): Promise<ChannelOutcome> {
    let pageToken = token;
    let pageNo = pages;
    let total = records;
    for (;;) {
      const page = await this.fetch(run, channel, pageToken, pageNo);
      if ('reason' in page) return { ok: false, reason: page.reason };
      pageNo += 1;
      total += page.items.length;
      const next = page.nextPageToken;
      try {
        await this.dataSource.transaction(async (m) => {
          await this.staging.stagePage(m, run.id, pageNo, channel.name, page.items, this.clock.now());
          await progress.record(m, { pageToken: next, pages: pageNo, records: total, pullComplete: next === null });
        });
      } catch (error) {
        if (isAppError(error) && error.code === ReconcileErrorCode.AUTHORITY_RECORD_INVALID) return { ok: false, reason: `${error.code} on page ${pageNo} (${error.message})` };
        throw error;
      }
      if (next === null) return { ok: true };
      pageToken = next;
      if (this.settings.minIntervalMs > 0) await sleep(this.settings.minIntervalMs);
    }
  }

  private async fetch(run: PullRun, channel: AuthorityListChannel, pageToken: string | null, pageNo: number) {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.settings.pageAttempts; attempt += 1) {
      try {
        return await channel.listPage({ taxNo: run.taxNo, period: run.period, pageSize: this.settings.pageSize, pageToken });
      } catch (error) {
        lastError = error;
        if (isAppError(error) && (error.kind === 'unavailable' || !error.retriable)) break;
        if (attempt < this.settings.pageAttempts) await sleep(this.settings.backoffMs * attempt);
      }
    }
    return { reason: `${describeFailure(lastError)} on page ${pageNo + 1}` };
  }
}
