import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, Clock, CLOCK, isAppError, sleep } from '@lib/common';
import { runMetrics } from '../runs/run.metrics';
import { RunsRepository } from '../runs/runs.repository';
import { RunRow } from '../runs/run.model';
import { AUTHORITY_CHANNELS, AuthorityListChannel } from './authority-list.port';
import { StagingRepository } from './staging.repository';

export interface PullSettings {
  pageSize: number;
  minIntervalMs: number;
  pageAttempts: number;
  backoffMs: number;
  leaseMs: number;
}

export const PULL_SETTINGS = Symbol('PULL_SETTINGS');

export type PullOutcome = { complete: true; channel: string } | { complete: false; channel: string | null; reason: string };

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
    private readonly runs: RunsRepository,
    private readonly staging: StagingRepository,
    @Inject(AUTHORITY_CHANNELS) private readonly channels: AuthorityListChannel[],
    @Inject(PULL_SETTINGS) private readonly settings: PullSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async pull(run: RunRow & { workerId: string }): Promise<PullOutcome> {
    const reasons: string[] = [];
    const resumeAt = Math.max(0, this.channels.findIndex((c) => c.name === run.channel));
    for (let i = resumeAt; i < this.channels.length; i += 1) {
      const channel = this.channels[i];
      const resuming = i === resumeAt && run.channel === channel.name;
      if (!resuming) await this.restart(run, channel.name);
      const outcome = await this.pullChannel(run, channel, resuming ? run.pageToken : null, resuming ? run.pages : 0, resuming ? run.records : 0);
      if (outcome.ok) return { complete: true, channel: channel.name };
      reasons.push(`${channel.name}: ${outcome.reason}`);
      runMetrics.channelFailed(channel.name);
      this.logger.warn({ runId: run.id, channel: channel.name, reason: outcome.reason }, 'authority channel failed');
    }
    return { complete: false, channel: this.channels.length ? this.channels[this.channels.length - 1].name : null, reason: reasons.join('; ') || 'no authority channel' };
  }

  private async restart(run: RunRow & { workerId: string }, channel: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.staging.clear(m, run.id);
      await this.runs.progress(m, run, { phase: 'pulling', channel, pageToken: null, pages: 0, records: 0 }, this.clock.now(), this.settings.leaseMs);
    });
  }

  private async pullChannel(run: RunRow & { workerId: string }, channel: AuthorityListChannel, token: string | null, pages: number, records: number): Promise<ChannelOutcome> {
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
          await this.runs.progress(m, run, { pageToken: next, pages: pageNo, records: total, pullComplete: next === null }, this.clock.now(), this.settings.leaseMs);
        });
      } catch (error) {
        if (isAppError(error) && error.code === 'AUTHORITY_RECORD_INVALID') return { ok: false, reason: `${error.code} on page ${pageNo} (${error.message})` };
        throw error;
      }
      if (next === null) return { ok: true };
      pageToken = next;
      if (this.settings.minIntervalMs > 0) await sleep(this.settings.minIntervalMs);
    }
  }

  private async fetch(run: RunRow, channel: AuthorityListChannel, pageToken: string | null, pageNo: number) {
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
    return { reason: `${describe(lastError)} on page ${pageNo + 1}` };
  }
}

function describe(error: unknown): string {
  if (error instanceof AppError) return `${error.code} (${error.message})`;
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
