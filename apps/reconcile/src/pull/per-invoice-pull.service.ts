import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK, isAppError } from '@lib/common';
import { AuthorityChecksRepository, CheckAnswer, CheckTally } from './authority-checks.repository';
import { describeFailure } from './channel-errors';
import { INVOICE_CHECK_CHANNELS, InvoiceCheckChannel } from './invoice-check.port';
import { InvoiceProber, Observation } from './invoice-prober';
import { LedgerScopeRepository, ScopeInvoice } from './ledger-scope.repository';
import { PullProgress, PullRun } from './pull-progress.port';
import { StagingRepository, validated } from './staging.repository';

export interface PerInvoiceSettings {
  /** Ledger invoices per page (one transaction stages a page's answers and the cursor after it). */
  pageSize: number;
  attempts: number;
  backoffMs: number;
  /** Minimum pause between two per-invoice calls. */
  minIntervalMs: number;
  /** Invoices one pull asks about at most (a large scope would hold its run for hours): the rest are left unchecked. */
  maxChecks: number;
  /**
   * An earlier run's conclusive answer younger than this is reused instead of asking again, while the ledger invoice is
   * unchanged (absent and pending ones within the visibility lag only); 0: always ask. See AuthorityChecksRepository.reusable.
   */
  reuseMs: number;
  visibilityLagMs: number;
}

export const PER_INVOICE_SETTINGS = Symbol('PER_INVOICE_SETTINGS');

export interface PerInvoiceOutcome {
  /** Every ledger invoice of the scope got a conclusive answer (found, visible, absent, pending or differs). */
  allChecked: boolean;
  /** Ledger invoices that got a conclusive answer (none: the pull proved nothing). */
  checked: number;
  /** Answers recorded for this run: asked of a channel, or reused from an earlier run's (no call made). */
  asked: number;
  reused: number;
  /** One sentence: how many invoices each channel answered, and why the others were not checked. */
  summary: string;
}

/**
 * The pull when no listing channel answered: each ledger invoice of the scope is asked about through the
 * per-invoice channels (INVOICE_CHECK_CHANNELS). Records found are staged like listed ones, with the channel
 * that found them; every answer goes to authority_checks. Pages of invoices commit with the cursor (the last
 * key), so a run taken over resumes after it. It cannot see invoices only the authority has. A recent answer of an
 * earlier run that cannot have changed is reused instead of asking again (the 查验 quota is a few checks per
 * invoice per day, and a scope is re-run hourly during a long outage), recorded as reused with its own time.
 */
@Injectable()
export class PerInvoicePullService {
  private readonly logger = new Logger(PerInvoicePullService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly staging: StagingRepository,
    private readonly ledger: LedgerScopeRepository,
    private readonly checks: AuthorityChecksRepository,
    @Inject(INVOICE_CHECK_CHANNELS) private readonly channels: InvoiceCheckChannel[],
    @Inject(PER_INVOICE_SETTINGS) private readonly settings: PerInvoiceSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get configured(): boolean {
    return this.channels.length > 0;
  }

  /** Checks the scope's invoices after `run.pageToken` (the run was set to this channel, with its cursor, by the caller). */
  async pull(run: PullRun, progress: PullProgress, resuming: boolean): Promise<PerInvoiceOutcome> {
    const prober = new InvoiceProber(this.channels, { attempts: this.settings.attempts, backoffMs: this.settings.backoffMs, minIntervalMs: this.settings.minIntervalMs });
    let cursor = resuming ? run.pageToken : null;
    let pageNo = resuming ? run.pages : 0;
    let records = resuming ? run.records : 0;
    // Older runs' answers are pruned with their staged records when a run finishes (RunsRepository.prune).
    if (!resuming) await this.checks.clear(this.dataSource.manager, run.id);
    let stoppedAt: string | null = null;
    let asked = 0;
    for (;;) {
      const invoices = await this.ledger.page(this.dataSource.manager, run.taxNo, run.period, cursor, this.settings.pageSize);
      if (invoices.length === 0) break;
      const earlier = await this.reusable(run, invoices);
      const answered: CheckAnswer[] = [];
      for (const invoice of invoices) {
        const reused = earlier.get(invoice.invoiceKey);
        if (reused) {
          answered.push(reused);
          continue;
        }
        if (prober.exhausted || asked >= this.settings.maxChecks) break;
        asked += 1;
        const observation = readable(await prober.observe(run.taxNo, invoice));
        answered.push({ invoiceKey: invoice.invoiceKey, observation, ledgerVersion: invoice.ledgerVersion, observedAt: null, reusedFromRun: null });
      }
      if (answered.length === 0) {
        stoppedAt = invoices[0].invoiceKey;
        break;
      }
      pageNo += 1;
      // found now, staged per channel; found before and reused, staged with their own time (AuthorityChecksRepository.stageReused)
      const found = answered.flatMap((a) => (a.observation.outcome === 'found' && !a.reusedFromRun ? [a.observation] : []));
      records += answered.filter((a) => a.observation.outcome === 'found').length;
      const next = answered[answered.length - 1].invoiceKey;
      await this.dataSource.transaction(async (m) => {
        for (const [channel, items] of groupBy(found)) await this.staging.stagePage(m, run.id, pageNo, channel, items, this.clock.now());
        await this.checks.stageReused(m, run.id, pageNo, answered);
        await this.checks.record(m, run.id, answered, this.clock.now());
        await progress.record(m, { pageToken: next, pages: pageNo, records });
      });
      cursor = next;
      if (answered.length < invoices.length) {
        stoppedAt = invoices[answered.length].invoiceKey;
        break;
      }
    }
    const tally = await this.checks.tally(this.dataSource.manager, run.id);
    const why = prober.exhausted ? `every per-invoice channel unavailable (${prober.downReasons().join('; ')})` : `at most ${this.settings.maxChecks} invoices per pull`;
    const outcome = summarise(tally, stoppedAt && `stopped at ${stoppedAt}: ${why}`);
    this.logger.log({ runId: run.id, ...outcome }, 'per-invoice pull finished');
    return outcome;
  }

  /** The page's invoices whose earlier answer may stand for this run's, by key (none when reuse is off). */
  private async reusable(run: PullRun, invoices: ScopeInvoice[]): Promise<Map<string, CheckAnswer>> {
    const policy = { maxAgeMs: this.settings.reuseMs, visibilityLagMs: this.settings.visibilityLagMs };
    const answers = await this.checks.reusable(this.dataSource.manager, run.id, invoices, this.clock.now(), policy);
    return new Map(answers.map((a) => [a.invoiceKey, a]));
  }
}

/** A found record we cannot read exactly is not staged (it would skew the comparison): that invoice counts as unchecked. */
function readable(o: Observation): Observation {
  if (o.outcome !== 'found') return o;
  try {
    return { ...o, record: validated(o.record) };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { outcome: 'unchecked', channel: null, cause: 'ERROR', detail: `${o.channel}: ${describeFailure(error)}` };
  }
}

function groupBy(found: Extract<Observation, { outcome: 'found' }>[]) {
  const groups = new Map<string, Extract<Observation, { outcome: 'found' }>['record'][]>();
  for (const f of found) groups.set(f.channel, [...(groups.get(f.channel) ?? []), f.record]);
  return groups;
}

function summarise(tally: CheckTally[], stopped: string | null): PerInvoiceOutcome {
  const total = tally.reduce((n, t) => n + t.n, 0);
  const reused = tally.reduce((n, t) => n + t.reused, 0);
  const checked = tally.filter((t) => t.outcome !== 'unchecked');
  const unchecked = tally.filter((t) => t.outcome === 'unchecked');
  const checkedCount = checked.reduce((n, t) => n + t.n, 0);
  const parts = [`${checkedCount} of ${total} ledger invoices checked`];
  if (checked.length > 0) parts.push(checked.map((t) => `${t.outcome} ${t.n} via ${t.channel ?? '?'}`).join(', '));
  for (const t of unchecked) parts.push(`${t.n} not checked (${uncheckedWhy(t.cause)}; first ${t.firstKey})`);
  if (reused > 0) parts.push(`${reused} of the answers reused from earlier runs (no call made), ${total - reused} asked`);
  if (stopped) parts.push(stopped);
  return { allChecked: unchecked.length === 0 && stopped === null, checked: checkedCount, asked: total - reused, reused, summary: parts.join('; ') };
}

function uncheckedWhy(cause: string | null): string {
  switch (cause) {
    case 'QUOTA':
      return '查验 quota used up (05) on every channel that could verify it';
    case 'UNAVAILABLE':
      return 'channels unavailable';
    case 'NOT_APPLICABLE':
      return 'no channel can check it';
    default:
      return 'channel errors';
  }
}
