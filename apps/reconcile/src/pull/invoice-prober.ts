import { isAppError, sleep } from '@lib/common';
import { AuthorityListRecord } from './authority-list.port';
import { describeFailure } from './channel-errors';
import { InvoiceCheckChannel, InvoiceToCheck } from './invoice-check.port';

/** A channel asking to wait longer than this (e.g. Baiwang's rate limit until tomorrow) is passed over for the invoice instead. */
const MAX_RETRY_AFTER_MS = 30_000;

export interface ProbeSettings {
  /** Attempts of one call before the channel is passed over for this invoice. */
  attempts: number;
  backoffMs: number;
  /** Minimum pause between two calls, whatever the channel (the platforms' rate limits). */
  minIntervalMs: number;
}

/** Why an invoice was not checked: every channel had used up its 查验 quota, was unavailable, could not answer, or failed. */
export type UncheckedCause = 'QUOTA' | 'UNAVAILABLE' | 'NOT_APPLICABLE' | 'ERROR';

/** The conclusion about one invoice, and the channel it came from (null when no channel could say). */
export type Observation =
  | { outcome: 'found'; channel: string; record: AuthorityListRecord; detail: null }
  | { outcome: 'visible'; channel: string; status: AuthorityListRecord['status'] | null; detail: string }
  | { outcome: 'absent' | 'pending' | 'differs'; channel: string; detail: string }
  | { outcome: 'unchecked'; channel: null; cause: UncheckedCause; detail: string };

/**
 * Asks the per-invoice channels about one invoice, in order, until one concludes (found, absent, pending,
 * differs). A `visible` answer (presence and status, no content) is kept while the next channels are asked
 * for the content. A channel that is unavailable is passed over for the rest of the pull (its breaker is
 * open or it is down: asking it per invoice would only wait for timeouts); transient failures are retried.
 * One prober per pull.
 */
export class InvoiceProber {
  private readonly down = new Map<string, string>();
  private lastCallAt = 0;

  constructor(
    private readonly channels: InvoiceCheckChannel[],
    private readonly settings: ProbeSettings,
  ) {}

  /** True when every channel is down: nothing more can be checked in this pull. */
  get exhausted(): boolean {
    return this.channels.every((c) => this.down.has(c.name));
  }

  /** Why each unavailable channel was passed over. */
  downReasons(): string[] {
    return [...this.down].map(([name, why]) => `${name}: ${why}`);
  }

  async observe(taxNo: string, invoice: InvoiceToCheck): Promise<Observation> {
    let visible: Observation | null = null;
    const notes: { cause: UncheckedCause; text: string }[] = [];
    for (const channel of this.channels) {
      const known = this.down.get(channel.name);
      if (known !== undefined) {
        notes.push({ cause: 'UNAVAILABLE', text: `${channel.name}: unavailable` });
        continue;
      }
      const answer = await this.call(channel, taxNo, invoice);
      if ('failure' in answer) {
        notes.push({ cause: answer.unavailable ? 'UNAVAILABLE' : 'ERROR', text: `${channel.name}: ${answer.failure}` });
        continue;
      }
      switch (answer.outcome) {
        case 'found':
          return { outcome: 'found', channel: channel.name, record: answer.record, detail: null };
        case 'absent':
        case 'pending':
        case 'differs':
          return { outcome: answer.outcome, channel: channel.name, detail: answer.detail };
        case 'visible':
          visible ??= { outcome: 'visible', channel: channel.name, status: answer.status, detail: answer.detail };
          break;
        case 'quota':
          notes.push({ cause: 'QUOTA', text: `${channel.name}: ${answer.detail}` });
          break;
        default:
          notes.push({ cause: 'NOT_APPLICABLE', text: `${channel.name}: ${answer.detail}` });
      }
    }
    if (visible) return visible;
    return { outcome: 'unchecked', channel: null, cause: mainCause(notes.map((n) => n.cause)), detail: notes.map((n) => n.text).join('; ') || 'no per-invoice channel' };
  }

  private async call(channel: InvoiceCheckChannel, taxNo: string, invoice: InvoiceToCheck) {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.settings.attempts; attempt += 1) {
      await this.pace();
      try {
        return await channel.check(taxNo, invoice);
      } catch (error) {
        lastError = error;
        if (isAppError(error) && error.kind === 'unavailable') {
          this.down.set(channel.name, describeFailure(error));
          return { failure: describeFailure(error), unavailable: true };
        }
        if (isAppError(error) && !error.retriable) break;
        if (attempt < this.settings.attempts) await sleep(this.backoff(error, attempt));
      }
    }
    return { failure: describeFailure(lastError), unavailable: false };
  }

  /** The channel's Retry-After (a rate limit) when it said one, within the limit; else the configured backoff. */
  private backoff(error: unknown, attempt: number): number {
    const retryAfterMs = isAppError(error) && error.retryAfterSeconds ? error.retryAfterSeconds * 1000 : 0;
    return Math.max(this.settings.backoffMs * attempt, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
  }

  private async pace(): Promise<void> {
    const wait = this.lastCallAt + this.settings.minIntervalMs - Date.now();
    if (wait > 0) await sleep(wait);
    this.lastCallAt = Date.now();
  }
}

/** Quota first (it says when to try again: tomorrow), then outage, then errors; NOT_APPLICABLE only when nothing else happened. */
function mainCause(causes: UncheckedCause[]): UncheckedCause {
  for (const cause of ['QUOTA', 'UNAVAILABLE', 'ERROR'] as const) if (causes.includes(cause)) return cause;
  return 'NOT_APPLICABLE';
}
