import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { InvoiceCheckChannel, InvoiceToCheck } from '../pull/invoice-check.port';
import { InvoiceProber, ProbeSettings } from '../pull/invoice-prober';
import { DeviceResetRow } from './device-reset.model';
import { ResetVerificationRepository } from './reset-verification.repository';

/** The per-invoice channels `verify` asks the authority through (by default the authority's 查验, its own breaker). */
export const RESET_CHECK_CHANNELS = Symbol('RESET_CHECK_CHANNELS');
export const RESET_PROBE_SETTINGS = Symbol('RESET_PROBE_SETTINGS');

export type VerifyCheckName = 'report' | 'clear-card' | 'invoice' | 'authority' | 'backup';

/** One check of `verify`, with a sentence a person understands either way. */
export interface VerifyCheck {
  check: VerifyCheckName;
  ok: boolean;
  detail: string;
  facts?: Record<string, unknown>;
}

/** Invoices received since the resync that `verify` asks the authority about at most (cheapest: known answers first). */
const MAX_ASKED = 3;

/**
 * The checks that end a reset (docs/device-operations.md, "Guided reset"): since the resync began, the device (or its
 * replacement) sent a 抄报 report and a successful 清卡, and an invoice that the authority shows; and the ledger still
 * holds every invoice of the backup, each once, unchanged. What reconcile already knows is used first (its projections,
 * the authority's answers its runs recorded); only then is the authority asked, through the per-invoice channel.
 */
@Injectable()
export class ResetVerification {
  constructor(
    private readonly known: ResetVerificationRepository,
    @Inject(RESET_CHECK_CHANNELS) private readonly channels: InvoiceCheckChannel[],
    @Inject(RESET_PROBE_SETTINGS) private readonly probe: ProbeSettings,
  ) {}

  async verify(m: EntityManager, reset: DeviceResetRow): Promise<VerifyCheck[]> {
    const since = reset.resyncFrom;
    if (!since) throw new Error(`reset ${reset.id} has no resync time`);
    const deviceId =
      reset.mode === 'replace' && reset.replacementDeviceId ? reset.replacementDeviceId : reset.deviceId;
    const which = reset.mode === 'replace' ? `the replacement device ${deviceId}` : `device ${deviceId}`;
    const invoice = await this.invoiceCheck(m, reset, deviceId, which, since);
    return [
      await this.reportCheck(m, deviceId, which, since),
      await this.clearCardCheck(m, deviceId, which, since),
      invoice.check,
      await this.authorityCheck(m, reset.taxNo, invoice.candidates),
      await this.backupCheck(m, reset),
    ];
  }

  private async reportCheck(
    m: EntityManager,
    deviceId: string,
    which: string,
    since: Date,
  ): Promise<VerifyCheck> {
    const found = await this.known.latestReport(m, deviceId, since);
    if (!found)
      return {
        check: 'report',
        ok: false,
        detail: `no 抄报 report from ${which} has arrived since the resync began (${since.toISOString()})`,
      };
    return {
      check: 'report',
      ok: true,
      detail: `${which} reported period ${found.period} at ${new Date(found.at).toISOString()}`,
      facts: { period: found.period, at: new Date(found.at).toISOString(), invoices: found.invoices },
    };
  }

  /** A successful clear-card the device performed since the resync (its latest outcome for that period). */
  private async clearCardCheck(
    m: EntityManager,
    deviceId: string,
    which: string,
    since: Date,
  ): Promise<VerifyCheck> {
    const found = await this.known.latestClearCard(m, deviceId, since);
    if (!found)
      return {
        check: 'clear-card',
        ok: false,
        detail: `no 清卡 result from ${which} has arrived since the resync began (${since.toISOString()})`,
      };
    const at = new Date(found.at).toISOString();
    if (found.status !== 'succeeded')
      return {
        check: 'clear-card',
        ok: false,
        detail: `${which}'s 清卡 of period ${found.period} at ${at} failed (${found.error_code ?? 'no code'}: ${found.error_message ?? 'no message'}); clear the card again`,
        facts: { period: found.period, at, status: found.status, errorCode: found.error_code },
      };
    return {
      check: 'clear-card',
      ok: true,
      detail: `${which} cleared period ${found.period} at ${at}`,
      facts: { period: found.period, at },
    };
  }

  private async invoiceCheck(
    m: EntityManager,
    reset: DeviceResetRow,
    deviceId: string,
    which: string,
    since: Date,
  ) {
    const candidates = await this.known.invoicesSince(m, deviceId, reset.taxNo, since);
    const check: VerifyCheck = candidates[0]
      ? {
          check: 'invoice',
          ok: true,
          detail: `${which} sent ${candidates.length === 20 ? 'at least 20' : candidates.length} new invoice(s) since the resync began, the latest ${candidates[0].invoiceKey}`,
          facts: {
            invoices: candidates.map((c) => c.invoiceKey),
            latestReceivedAt: candidates[0].receivedAt,
          },
        }
      : {
          check: 'invoice',
          ok: false,
          detail: `no new invoice from ${which} has reached the ledger since the resync began (${since.toISOString()})`,
        };
    return { check, candidates };
  }

  /** One invoice of the device since the resync that the authority shows: recorded answers first, then asked. */
  private async authorityCheck(
    m: EntityManager,
    taxNo: string,
    candidates: InvoiceToCheck[],
  ): Promise<VerifyCheck> {
    if (candidates.length === 0)
      return {
        check: 'authority',
        ok: false,
        detail: 'no invoice since the resync to look for at the authority',
      };
    const keys = candidates.map((c) => c.invoiceKey);
    const seen = await this.known.knownAtAuthority(m, keys);
    if (seen)
      return {
        check: 'authority',
        ok: true,
        detail: `the authority shows invoice ${seen.invoice_key} (seen by a reconciliation run through ${seen.channel ?? 'the authority'})`,
        facts: {
          invoiceKey: seen.invoice_key,
          channel: seen.channel,
          observedAt: new Date(seen.observed_at).toISOString(),
          asked: false,
        },
      };
    if (this.channels.length === 0)
      return {
        check: 'authority',
        ok: false,
        detail:
          'no per-invoice channel to the authority is configured, and no reconciliation run has seen these invoices there',
      };
    const prober = new InvoiceProber(this.channels, this.probe);
    const answers: string[] = [];
    for (const candidate of candidates.slice(0, MAX_ASKED)) {
      const seen = await prober.observe(taxNo, candidate);
      if (seen.outcome === 'found' || seen.outcome === 'visible')
        return {
          check: 'authority',
          ok: true,
          detail: `the authority shows invoice ${candidate.invoiceKey} (asked through ${seen.channel})`,
          facts: { invoiceKey: candidate.invoiceKey, channel: seen.channel, asked: true },
        };
      answers.push(`${candidate.invoiceKey}: ${seen.outcome}${seen.detail ? ` (${seen.detail})` : ''}`);
      if (prober.exhausted) break;
    }
    return {
      check: 'authority',
      ok: false,
      detail: `the authority does not show the device's new invoices yet (${answers.join('; ')}); uploads become visible there after a lag, verify again later`,
      facts: { answers },
    };
  }

  /** Every invoice of the backup is still in the ledger under its key, and none arrived again with other content. */
  private async backupCheck(m: EntityManager, reset: DeviceResetRow): Promise<VerifyCheck> {
    const row = await this.known.backupInLedger(m, reset.id, reset.taxNo);
    const facts = {
      backedUp: row.backed_up,
      lost: row.lost,
      lostKeys: row.lost_keys ?? [],
      duplicated: row.duplicated,
      duplicatedKeys: row.duplicated_keys ?? [],
    };
    if (row.backed_up !== (reset.backupRows ?? 0))
      return {
        check: 'backup',
        ok: false,
        detail: `the stored backup holds ${row.backed_up} invoices, the download had ${reset.backupRows ?? 0}`,
        facts,
      };
    const problems: string[] = [];
    if (row.lost > 0)
      problems.push(
        `${row.lost} invoice(s) of the backup are no longer in the ledger (${facts.lostKeys.join(', ')})`,
      );
    if (row.duplicated > 0)
      problems.push(
        `${row.duplicated} invoice(s) of the backup arrived again with different content (${facts.duplicatedKeys.join(', ')})`,
      );
    if (problems.length > 0) return { check: 'backup', ok: false, detail: problems.join('; '), facts };
    return {
      check: 'backup',
      ok: true,
      detail: `the ledger holds all ${row.backed_up} invoices of the backup, each once and unchanged`,
      facts,
    };
  }
}
