import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, CLOCK, sleep } from '@lib/common';
import { FindingEventsPublisher, FindingTransition } from '../findings/finding-events.publisher';
import { FindingsRepository, HistoryEntry } from '../findings/findings.repository';
import { PendingOutbox } from '../findings/pending-outbox';
import { CorrectionRequestRow, CorrectionRequestsRepository, CorrectionUpdate, FormHistoryEntry } from './correction-requests.repository';
import { CORRECTION_TRACKING, CorrectionTrackingSettings, RED_FORM_READER, RedFormReader, RedFormSnapshot } from './red-form.port';
import { adoptForm, correctionStatusOf, formStateNote, isVoidForm, nextCheckAt, voidFormExplanation } from './red-form.rules';

/** What one read of the authority learnt about one request. */
interface Observation {
  request: CorrectionRequestRow;
  form: RedFormSnapshot | null;
  error: string | null;
}

export interface TrackingRound {
  checked: number;
  transitions: number;
  escalated: number;
  failed: number;
}

/**
 * Tracks correction requests (红冲 tasks of AMOUNT_/STATUS_MISMATCH findings) through the authority's red-letter
 * confirmation forms. Each round reads the due requests' forms (a request without a form finds it by its original
 * invoice in the taxpayer's list), outside any transaction; then, in one transaction, records every state change
 * (correction_form_history and the finding's history) and escalates the findings whose form became void (05-10),
 * with a sentence saying why. A confirmed form (01/04) leaves the finding remediating: the red invoice will
 * remove the mismatch and the next run resolves it. Messages are enqueued once, at the transaction's end.
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
    const round: TrackingRound = { checked: 0, transitions: 0, escalated: 0, failed: 0 };
    if (!this.reader) return round;
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
      const unknown = requests.filter((r) => !r.formId);
      if (unknown.length > 0) {
        try {
          const forms = await reader.list(taxNo);
          for (const r of unknown) observations.push({ request: r, form: adoptForm(r.invoiceKey, r.createdAt, forms), error: null });
        } catch (error) {
          for (const r of unknown) observations.push({ request: r, form: null, error: describe(error) });
        }
      }
      for (const r of requests.filter((x) => x.formId)) {
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

  private async record(m: EntityManager, observations: Observation[], now: Date): Promise<Omit<TrackingRound, 'checked' | 'failed'>> {
    const locked = await this.requests.lock(
      m,
      observations.map((o) => o.request.findingId),
    );
    const updates: CorrectionUpdate[] = [];
    const formHistory: FormHistoryEntry[] = [];
    const history: HistoryEntry[] = [];
    const escalations: { id: string; explanation: string }[] = [];
    const transitions: FindingTransition[] = [];
    const { pendingCheckMs, confirmedCheckMs } = this.settings;
    for (const o of observations) {
      const current = locked.get(o.request.findingId);
      if (!current) continue;
      const { request, finding } = current;
      if (!o.form) {
        updates.push({ ...unchanged(request), nextCheckAt: nextCheckAt(request.status, now, pendingCheckMs, confirmedCheckMs), error: o.error });
        continue;
      }
      const form = o.form;
      const fromState = request.formId === form.formId ? request.formState : null;
      const status = correctionStatusOf(form.state);
      const formStateAt = new Date(form.updatedAt);
      updates.push({ findingId: request.findingId, formId: form.formId, formState: form.state, status, formStateAt, nextCheckAt: nextCheckAt(status, now, pendingCheckMs, confirmedCheckMs), error: null });
      if (fromState === form.state) continue;
      formHistory.push({ findingId: request.findingId, formId: form.formId, fromState, toState: form.state, formUpdatedAt: formStateAt });
      const note = formStateNote(form.formId, form.state);
      if (isVoidForm(form.state) && finding.state === 'remediating') {
        const explanation = voidFormExplanation(request.invoiceKey, form.formId, form.state);
        escalations.push({ id: finding.id, explanation });
        history.push({ findingId: finding.id, fromState: 'remediating', toState: 'escalated', action: 'red-form', actor: 'reconcile', reason: note, runId: null });
        transitions.push({ finding: { ...finding, state: 'escalated', explanation, updatedAt: now }, previousState: 'remediating' });
      } else {
        history.push({ findingId: finding.id, fromState: finding.state, toState: finding.state, action: 'red-form', actor: 'reconcile', reason: note, runId: null });
      }
    }
    await this.requests.update(m, updates, now);
    await this.requests.appendFormHistory(m, formHistory, now);
    await this.requests.escalate(m, escalations, now);
    await this.findings.appendHistory(m, history, now);
    const outbox = new PendingOutbox();
    outbox.add(this.events.messages(transitions, now));
    await outbox.flush(m);
    return { transitions: formHistory.length, escalated: escalations.length };
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

function unchanged(r: CorrectionRequestRow): Omit<CorrectionUpdate, 'nextCheckAt' | 'error'> {
  return { findingId: r.findingId, formId: r.formId, formState: r.formState, status: r.status, formStateAt: null };
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return `${e?.code ?? 'ERROR'}: ${String(e?.message ?? error)}`.slice(0, 500);
}
