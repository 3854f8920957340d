import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sleep } from '@lib/common';
import { filingDeadline, periodEnd, periodStart } from '@lib/domain';
import { AuthorityRecordsReader } from '@lib/providers';
import { RunsRepository } from '../runs/runs.repository';
import { AuthorityClearCardCheck, AuthorityClearCardView } from './authority-clear-card.check';
import { ClearCardChecksRepository } from './clear-card-checks.repository';
import { DEVICE_NUMBERS, DeviceNumberDirectory } from './device-number.port';

/** The authority's clear-card status endpoint (its own breaker, `authority-clear-card`); tests give the sandbox's. */
export type ClearCardReader = Pick<AuthorityRecordsReader, 'clearCardStatus'> & { shutdown?(): void };
export const CLEAR_CARD_READER = Symbol('CLEAR_CARD_READER');

export interface ClearCardCheckSettings {
  /** Devices asked about per run at most (RECONCILE_CLEAR_CARD_CHECKS_MAX); 0: none. */
  maxChecks: number;
  /** Pause between two calls (RECONCILE_CLEAR_CARD_MIN_INTERVAL_MS). */
  minIntervalMs: number;
  leaseMs: number;
}
export const CLEAR_CARD_CHECK_SETTINGS = Symbol('CLEAR_CARD_CHECK_SETTINGS');

/** What a run needs from the cross-check; RunReconciliationUseCase depends on this shape only. */
export const CLEAR_CARD_CROSS_CHECK = Symbol('CLEAR_CARD_CROSS_CHECK');
export interface ClearCardCrossCheck {
  record(run: { id: string; workerId: string; taxNo: string; period: string }, now: Date): Promise<void>;
  prune(taxNo: string, period: string, keep: number): Promise<void>;
}

/**
 * Before a run's comparison (outside its transaction: these are network calls), asks the authority about the
 * clear-card of the scope's devices that have an authority number and whose findings the answer could change,
 * and stores the answers, or why there is none, in `run_clear_card_checks` for the comparison to join. At most
 * `maxChecks` calls per run, spaced by `minIntervalMs`; timeouts, retries and the breaker are the reader's
 * (libs/providers). A failure of the authority is recorded as AUTHORITY_UNAVAILABLE and changes nothing else.
 */
@Injectable()
export class ClearCardCrossCheckService implements ClearCardCrossCheck, OnApplicationShutdown {
  private readonly check: AuthorityClearCardCheck;
  private lastCallAt = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly checks: ClearCardChecksRepository,
    private readonly runs: RunsRepository,
    @Inject(DEVICE_NUMBERS) private readonly numbers: DeviceNumberDirectory,
    @Inject(CLEAR_CARD_READER) private readonly reader: ClearCardReader,
    @Inject(CLEAR_CARD_CHECK_SETTINGS) private readonly settings: ClearCardCheckSettings,
  ) {
    this.check = new AuthorityClearCardCheck(numbers, reader);
  }

  async record(
    run: { id: string; workerId: string; taxNo: string; period: string },
    now: Date,
  ): Promise<void> {
    const views = await this.ask(run.taxNo, run.period, now);
    await this.dataSource.transaction(async (m) => {
      // fenced like every write of a running run: a worker that lost the run writes nothing
      await this.runs.progress(m, run, {}, now, this.settings.leaseMs);
      await this.checks.save(m, run.id, views, now);
    });
  }

  async prune(taxNo: string, period: string, keep: number): Promise<void> {
    await this.checks.prune(taxNo, period, keep);
  }

  onApplicationShutdown(): void {
    this.reader.shutdown?.();
  }

  /** The views of the scope's candidate devices: numbered ones first, so the limit is spent on devices that can be asked. */
  private async ask(taxNo: string, period: string, now: Date): Promise<AuthorityClearCardView[]> {
    const candidates = await this.checks.candidates({
      taxNo,
      period,
      periodStart: periodStart(period),
      periodEnd: periodEnd(period),
      now,
      filingClosesAt: filingDeadline(period).closesAt,
    });
    const numbers = await this.numbers.authorityDeviceNos(
      taxNo,
      candidates.map((c) => c.deviceId),
    );
    const ordered = [...candidates].sort(
      (a, b) => Number(!numbers.has(a.deviceId)) - Number(!numbers.has(b.deviceId)),
    );
    const views: AuthorityClearCardView[] = [];
    let asked = 0;
    for (const candidate of ordered) {
      const deviceNo = numbers.get(candidate.deviceId) ?? null;
      if (deviceNo && asked >= this.settings.maxChecks) {
        views.push({
          deviceId: candidate.deviceId,
          deviceNo,
          unknown: 'LIMIT_REACHED',
          detail: `not asked: this run reached its limit of ${this.settings.maxChecks} clear-card calls (RECONCILE_CLEAR_CARD_CHECKS_MAX)`,
        });
        continue;
      }
      if (deviceNo) {
        asked += 1;
        await this.space();
      }
      views.push(await this.check.viewOf(taxNo, period, candidate.deviceId, deviceNo, candidate.device));
    }
    return views;
  }

  private async space(): Promise<void> {
    const wait = this.lastCallAt + this.settings.minIntervalMs - Date.now();
    if (wait > 0) await sleep(wait);
    this.lastCallAt = Date.now();
  }
}
