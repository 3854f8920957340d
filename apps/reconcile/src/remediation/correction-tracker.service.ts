import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, CLOCK, sleep } from '@lib/common';
import { FindingEventsPublisher } from '../findings/finding-events.publisher';
import { FindingsRepository } from '../findings/findings.repository';
import { PendingOutbox } from '../findings/pending-outbox';
import { CorrectionRequestRow, CorrectionRequestsRepository, requestKey } from './correction-requests.repository';
import { Observation, RoundPlan } from './correction-round';
import { CORRECTION_TRACKING, CorrectionTrackingSettings, RED_FORM_READER, RedFormReader } from './red-form.port';
import { adoptForm, adoptNewForm } from './red-form.rules';

export interface TrackingRound {
  /** Requests read. */
  checked: number;
  /** Form states recorded (correction_form_history rows). */
  transitions: number;
  /** Findings escalated because their form became void. */
  escalated: number;
  /** Escalated findings back in remediation because a new form was entered (a new request follows it). */
  resumed: number;
  /** Active requests closed because their finding was resolved or ignored. */
  closed: number;
  /** Findings resolved because the red invoice issued with their confirmed form is at the authority. */
  resolved: number;
  /** Requests whose form could not be read (read again at their next check). */
  failed: number;
}

/**
 * Tracks correction requests (红冲 tasks of AMOUNT_/STATUS_MISMATCH findings) through the authority's red-letter
 * confirmation forms. Each round first closes the requests whose finding was resolved or ignored; then reads the due
 * requests' forms (a request without a form finds it by its original invoice in the taxpayer's list), outside any
 * transaction; then, in one transaction, records every state change (correction_form_history and the finding's
 * history) and escalates the findings whose form became void (05-10), with a sentence saying why. A confirmed form
 * (01/04) leaves the finding remediating until the authority shows the red invoice issued with it (the form's 红字发票号码):
 * then the finding is resolved, unless the correction also re-issues the invoice (a person confirms that). An
 * escalated finding's taxpayer list is read again for a new form for its invoice: one found starts a new request
 * (attempt n + 1) and brings the finding back to remediation. Messages are enqueued once, at the transaction's end.
 */
@Injectable()
export class CorrectionTrackerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CorrectionTrackerService.name);
  private stopping = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: CorrectionRequestsRepository,
    private readonly findings: FindingsRepository,
    private readonly events: FindingEventsPublisher,
    @Inject(RED_FORM_READER) private readonly reader: RedFormReader | null,
    @Inject(CORRECTION_TRACKING) private readonly settings: CorrectionTrackingSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.enabled && this.reader) this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    this.reader?.shutdown?.();
  }

  /** One round over the due requests. */
  async tick(): Promise<TrackingRound> {
    const round: TrackingRound = { checked: 0, transitions: 0, escalated: 0, resumed: 0, closed: 0, resolved: 0, failed: 0 };
    if (!this.reader) return round;
    round.closed = await this.requests.closeEnded(this.dataSource.manager, this.clock.now());
    const due = await this.requests.due(this.dataSource.manager, this.clock.now(), this.settings.batchSize);
    if (due.length === 0) return round;
    const observations = await this.observe(this.reader, due);
    round.checked = observations.length;
    round.failed = observations.filter((o) => o.error).length;
    return this.dataSource.transaction(async (m) => ({ ...round, ...(await this.record(m, observations, this.clock.now())) }));
  }

  private async observe(reader: RedFormReader, due: CorrectionRequestRow[]): Promise<Observation[]> {
    const observations: Observation[] = [];
    const byTaxNo = new Map<string, CorrectionRequestRow[]>();
    for (const r of due) byTaxNo.set(r.taxNo, [...(byTaxNo.get(r.taxNo) ?? []), r]);
    for (const [taxNo, requests] of byTaxNo) {
      // without a form yet, or void and watched for a new one: the taxpayer's list, read once
      const listed = requests.filter((r) => !r.formId || r.status === 'cancelled');
      if (listed.length > 0) {
        try {
          const forms = await reader.list(taxNo);
          for (const r of listed) {
            const form =
              r.status === 'cancelled' ? adoptNewForm(r.invoiceKey, r.followedForms, forms) : adoptForm(r.invoiceKey, r.createdAt, forms, r.followedForms);
            observations.push({ request: r, form, error: null });
          }
        } catch (error) {
          for (const r of listed) observations.push({ request: r, form: null, error: describe(error) });
        }
      }
      for (const r of requests.filter((x) => x.formId && x.status !== 'cancelled')) {
        try {
          const form = await reader.get(taxNo, r.formId!);
          observations.push({ request: r, form, error: form ? null : `red-letter form ${r.formId} is unknown to the authority` });
        } catch (error) {
          observations.push({ request: r, form: null, error: describe(error) });
        }
      }
    }
    return observations;
  }

  private async record(
    m: EntityManager,
    observations: Observation[],
    now: Date,
  ): Promise<Pick<TrackingRound, 'transitions' | 'escalated' | 'resumed' | 'resolved'>> {
    const locked = await this.requests.lock(m, observations.map((o) => o.request));
    const plan = new RoundPlan(this.settings, now);
    for (const o of observations) {
      const current = locked.get(requestKey(o.request));
      if (current) plan.add(o, current);
    }
    await this.requests.update(m, plan.updates, now);
    await this.requests.start(m, plan.started, now);
    await this.requests.appendFormHistory(m, plan.formHistory, now);
    await this.requests.moveFindings(m, 'remediating', 'escalated', plan.escalations, now);
    await this.requests.moveFindings(m, 'escalated', 'remediating', plan.resumptions, now);
    await this.requests.moveFindings(m, 'remediating', 'resolved', plan.resolutions, now);
    await this.findings.appendHistory(m, plan.history, now);
    const outbox = new PendingOutbox();
    outbox.add(this.events.messages(plan.transitions, now));
    await outbox.flush(m);
    return {
      transitions: plan.formHistory.length,
      escalated: plan.escalations.length,
      resumed: plan.resumptions.length,
      resolved: plan.resolutions.length,
    };
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      try {
        const round = await this.tick();
        if (round.failed > 0) this.logger.warn({ ...round }, 'some red-letter forms could not be read; they are read again later');
      } catch (error) {
        this.logger.error({ err: error }, 'correction tracking round failed');
      }
      await sleep(this.settings.pollMs, this.stopping.signal).catch(() => undefined);
    }
  }
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return `${e?.code ?? 'ERROR'}: ${String(e?.message ?? error)}`.slice(0, 500);
}
