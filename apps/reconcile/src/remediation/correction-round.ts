import { FindingTransition } from '../findings/finding-events.publisher';
import { RECONCILE_ACTOR } from '../findings/finding.model';
import { HistoryEntry } from '../findings/findings.repository';
import {
  CorrectionRequestRow,
  CorrectionUpdate,
  FormHistoryEntry,
  LockedRequest,
  NewCorrectionRequest,
} from './correction-requests.repository';
import { CheckIntervals, RedFormSnapshot } from './red-form.port';
import {
  correctionStatusOf,
  formStateNote,
  isActiveRequest,
  isVoidForm,
  newFormExplanation,
  nextCheckAt,
  redInvoiceExplanation,
  voidFormExplanation,
} from './red-form.rules';

/** What one read of the authority learnt about one request. */
export interface Observation {
  request: CorrectionRequestRow;
  form: RedFormSnapshot | null;
  error: string | null;
}

/** Everything one round writes, decided request by request from what is locked now. */
export class RoundPlan {
  readonly updates: CorrectionUpdate[] = [];
  readonly started: NewCorrectionRequest[] = [];
  readonly formHistory: FormHistoryEntry[] = [];
  readonly history: HistoryEntry[] = [];
  readonly escalations: { id: string; explanation: string }[] = [];
  readonly resumptions: { id: string; explanation: string }[] = [];
  /** Findings whose correction is complete: the red invoice issued with the confirmed form is at the authority. */
  readonly resolutions: { id: string; explanation: string }[] = [];
  readonly transitions: FindingTransition[] = [];

  constructor(
    private readonly intervals: CheckIntervals,
    private readonly now: Date,
  ) {}

  /**
   * Applies an observation to the request as it is locked now: a request another round or a run has moved on
   * since it was read (closed, void, superseded, its finding no longer escalated) is left alone.
   */
  add(o: Observation, locked: LockedRequest): void {
    if (o.request.status === 'cancelled') this.watched(o, locked);
    else if (isActiveRequest(locked.request.status)) this.followed(o, locked);
  }

  /** An active request: record its form's new state; a void form escalates a finding still in remediation. */
  private followed(o: Observation, { request, finding }: LockedRequest): void {
    const { now } = this;
    if (!o.form) {
      this.updates.push({
        ...unchanged(request),
        nextCheckAt: nextCheckAt(request.status, now, this.intervals),
        error: o.error,
      });
      return;
    }
    const form = o.form;
    const redInvoiceKey = form.redInvoiceKey ?? null;
    // the red invoice issued with a confirmed form completes a correction, with its named re-issue accepted when it
    // re-issues the invoice
    const complete =
      correctionStatusOf(form.state) === 'confirmed' &&
      !!redInvoiceKey &&
      (!request.reissue || (!!request.reissueInvoiceKey && request.reissueAccepted)) &&
      finding.state === 'remediating';
    const status = complete ? 'closed' : correctionStatusOf(form.state);
    const escalate = isVoidForm(form.state) && finding.state === 'remediating';
    // a void form is watched for a successor only while its finding is escalated over it
    const next =
      (isVoidForm(form.state) && !escalate) || complete ? null : nextCheckAt(status, now, this.intervals);
    const formStateAt = new Date(form.updatedAt);
    this.updates.push({
      ...key(request),
      formId: form.formId,
      formState: form.state,
      status,
      formStateAt,
      nextCheckAt: next,
      error: null,
      redInvoiceKey,
    });
    const fromState = request.formId === form.formId ? request.formState : null;
    if (complete) {
      if (fromState !== form.state)
        this.formHistory.push({
          ...key(request),
          formId: form.formId,
          fromState,
          toState: form.state,
          formUpdatedAt: formStateAt,
        });
      const explanation = redInvoiceExplanation(request.invoiceKey, form.formId, redInvoiceKey, request.reissueInvoiceKey);
      this.resolutions.push({ id: finding.id, explanation });
      this.history.push({
        ...redForm(finding.id, 'remediating', 'resolved', explanation),
        action: 'red-invoice',
      });
      this.transitions.push({
        finding: { ...finding, state: 'resolved', explanation, updatedAt: now },
        previousState: 'remediating',
      });
      return;
    }
    if (fromState === form.state) return;
    this.formHistory.push({
      ...key(request),
      formId: form.formId,
      fromState,
      toState: form.state,
      formUpdatedAt: formStateAt,
    });
    const note = formStateNote(form.formId, form.state);
    if (escalate) {
      const explanation = voidFormExplanation(request.invoiceKey, form.formId, form.state);
      this.escalations.push({ id: finding.id, explanation });
      this.history.push(redForm(finding.id, 'remediating', 'escalated', note));
      this.transitions.push({
        finding: { ...finding, state: 'escalated', explanation, updatedAt: now },
        previousState: 'remediating',
      });
    } else {
      this.history.push(redForm(finding.id, finding.state, finding.state, note));
    }
  }

  /**
   * The void request of an escalated finding: a new live form for its invoice starts request n + 1 following
   * that form, and the finding goes back to remediation; the void request stays, no longer watched.
   */
  private watched(o: Observation, { request, finding, latestAttempt }: LockedRequest): void {
    const { now } = this;
    if (request.status !== 'cancelled' || finding.state !== 'escalated' || latestAttempt !== request.attempt)
      return;
    if (!o.form) {
      this.updates.push({
        ...unchanged(request),
        nextCheckAt: nextCheckAt('cancelled', now, this.intervals),
        error: o.error,
      });
      return;
    }
    const form = o.form;
    const status = correctionStatusOf(form.state);
    const formStateAt = new Date(form.updatedAt);
    const next = { findingId: request.findingId, attempt: request.attempt + 1 };
    this.updates.push({ ...unchanged(request), nextCheckAt: null, error: null });
    this.started.push({
      ...next,
      invoiceKey: request.invoiceKey,
      taxNo: request.taxNo,
      kind: request.kind,
      formId: form.formId,
      formState: form.state,
      status,
      formStateAt,
      nextCheckAt: nextCheckAt(status, now, this.intervals),
    });
    this.formHistory.push({
      ...next,
      formId: form.formId,
      fromState: null,
      toState: form.state,
      formUpdatedAt: formStateAt,
    });
    const explanation = newFormExplanation(request.invoiceKey, request.formId, form.formId, form.state);
    this.resumptions.push({ id: finding.id, explanation });
    this.history.push(
      redForm(finding.id, 'escalated', 'remediating', formStateNote(form.formId, form.state)),
    );
    this.transitions.push({
      finding: { ...finding, state: 'remediating', explanation, updatedAt: now },
      previousState: 'escalated',
    });
  }
}

function key(r: CorrectionRequestRow): Pick<CorrectionUpdate, 'findingId' | 'attempt'> {
  return { findingId: r.findingId, attempt: r.attempt };
}

function unchanged(r: CorrectionRequestRow): Omit<CorrectionUpdate, 'nextCheckAt' | 'error'> {
  return { ...key(r), formId: r.formId, formState: r.formState, status: r.status, formStateAt: null };
}

function redForm(
  findingId: string,
  fromState: HistoryEntry['fromState'],
  toState: HistoryEntry['toState'],
  reason: string,
): HistoryEntry {
  return { findingId, fromState, toState, action: 'red-form', actor: RECONCILE_ACTOR, reason, runId: null };
}
