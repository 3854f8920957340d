import { FindingRow } from '../findings/finding.model';
import { CorrectionRequestRow, LockedRequest } from './correction-requests.repository';
import { RoundPlan } from './correction-round';
import { RedFormSnapshot } from './red-form.port';
import { findingRow } from '../../test/support/finding-row';

const KEY = '25442000000000000007';
const NOW = new Date('2026-11-20T00:00:00Z');
const INTERVALS = { pendingCheckMs: 600_000, confirmedCheckMs: 3_000_000, escalatedCheckMs: 1_800_000 };

const request = (over: Partial<CorrectionRequestRow> = {}): CorrectionRequestRow => ({
  findingId: 'f-1',
  attempt: 1,
  invoiceKey: KEY,
  taxNo: 'T',
  kind: 'amount',
  formId: 'HZ1',
  formState: '02',
  status: 'submitted',
  createdAt: new Date('2026-11-19T00:00:00Z'),
  followedForms: ['HZ1'],
  reissue: false,
  reissueInvoiceKey: null,
  reissueAccepted: false,
  ...over,
});
const finding = (over: Partial<FindingRow> = {}): FindingRow => findingRow(KEY, NOW, over);
const form = (formId: string, state: string): RedFormSnapshot => ({
  formId,
  state,
  originalInvoiceKey: KEY,
  createdAt: '2026-11-19T01:00:00Z',
  updatedAt: '2026-11-19T02:00:00Z',
});
const locked = (r: CorrectionRequestRow, f: FindingRow, latestAttempt = r.attempt): LockedRequest => ({
  request: r,
  finding: f,
  latestAttempt,
});

describe('a round of correction tracking', () => {
  it('escalates a finding whose form became void and watches its request for a new form', () => {
    const plan = new RoundPlan(INTERVALS, NOW);
    plan.add({ request: request(), form: form('HZ1', '06'), error: null }, locked(request(), finding()));
    expect(plan.updates).toEqual([
      expect.objectContaining({
        attempt: 1,
        status: 'cancelled',
        formState: '06',
        nextCheckAt: new Date('2026-11-20T00:30:00Z'),
      }),
    ]);
    expect(plan.escalations.map((e) => e.id)).toEqual(['f-1']);
    expect(plan.transitions.map((t) => [t.previousState, t.finding.state])).toEqual([
      ['remediating', 'escalated'],
    ]);
  });

  it('completes a re-issuing correction only once the red invoice and its named re-issue are both at the authority', () => {
    const used = { ...form('HZ1', '04'), redInvoiceKey: 'RED1' };
    const outcome = (over: Partial<CorrectionRequestRow>) => {
      const r = request({ formState: '04', status: 'confirmed', reissue: true, ...over });
      const plan = new RoundPlan(INTERVALS, NOW);
      plan.add({ request: r, form: used, error: null }, locked(r, finding()));
      return plan;
    };
    for (const waiting of [outcome({}), outcome({ reissueInvoiceKey: 'NEW1', reissueAccepted: false })]) {
      expect(waiting.resolutions).toEqual([]);
      expect(waiting.updates).toEqual([
        expect.objectContaining({ status: 'confirmed', redInvoiceKey: 'RED1', nextCheckAt: new Date('2026-11-20T00:50:00Z') }),
      ]);
    }
    const done = outcome({ reissueInvoiceKey: 'NEW1', reissueAccepted: true });
    expect(done.updates).toEqual([expect.objectContaining({ status: 'closed', redInvoiceKey: 'RED1', nextCheckAt: null })]);
    expect(done.resolutions).toEqual([
      {
        id: 'f-1',
        explanation: `Invoice ${KEY} was corrected: red invoice RED1 reversed it at the authority with red-letter confirmation form HZ1 and invoice NEW1 re-issued it corrected, so the mismatch is settled.`,
      },
    ]);
  });

  it('does not watch a void form whose finding is no longer in remediation (resolved meanwhile)', () => {
    const plan = new RoundPlan(INTERVALS, NOW);
    plan.add(
      { request: request(), form: form('HZ1', '08'), error: null },
      locked(request(), finding({ state: 'resolved' })),
    );
    expect(plan.updates).toEqual([expect.objectContaining({ status: 'cancelled', nextCheckAt: null })]);
    expect(plan.escalations).toEqual([]);
    expect(plan.history.map((h) => [h.fromState, h.toState])).toEqual([['resolved', 'resolved']]);
  });

  it('leaves a request alone that a run closed or another round moved on since it was read', () => {
    const plan = new RoundPlan(INTERVALS, NOW);
    plan.add(
      { request: request(), form: form('HZ1', '04'), error: null },
      locked(request({ status: 'closed' }), finding()),
    );
    const watched = request({ formState: '05', status: 'cancelled' });
    const newForm = { request: watched, form: form('HZ2', '02'), error: null };
    plan.add(newForm, locked(watched, finding({ state: 'remediating' }))); // another round already followed it
    plan.add(newForm, locked(watched, finding({ state: 'escalated' }), 2)); // a newer request exists
    expect([plan.updates, plan.started, plan.formHistory, plan.history, plan.transitions]).toEqual([
      [],
      [],
      [],
      [],
      [],
    ]);
  });

  it('starts request n + 1 for a new form after an escalation and stops watching the void one', () => {
    const plan = new RoundPlan(INTERVALS, NOW);
    const watched = request({
      attempt: 2,
      formId: 'HZ2',
      formState: '07',
      status: 'cancelled',
      followedForms: ['HZ1', 'HZ2'],
    });
    plan.add(
      { request: watched, form: form('HZ3', '04'), error: null },
      locked(watched, finding({ state: 'escalated' })),
    );
    expect(plan.updates).toEqual([
      expect.objectContaining({ attempt: 2, status: 'cancelled', nextCheckAt: null, error: null }),
    ]);
    expect(plan.started).toEqual([
      expect.objectContaining({
        attempt: 3,
        formId: 'HZ3',
        formState: '04',
        status: 'confirmed',
        nextCheckAt: new Date('2026-11-20T00:50:00Z'),
      }),
    ]);
    expect(plan.formHistory).toEqual([
      expect.objectContaining({ attempt: 3, formId: 'HZ3', fromState: null, toState: '04' }),
    ]);
    expect(plan.resumptions).toEqual([
      { id: 'f-1', explanation: expect.stringContaining('after form HZ2 became void') },
    ]);
    expect(plan.history).toEqual([
      expect.objectContaining({ fromState: 'escalated', toState: 'remediating', action: 'red-form' }),
    ]);
  });

  it('keeps watching, with the error, while no new form is found or the list cannot be read', () => {
    const plan = new RoundPlan(INTERVALS, NOW);
    const watched = request({ formState: '05', status: 'cancelled' });
    plan.add(
      { request: watched, form: null, error: 'AUTHORITY_SERVICE_UNAVAILABLE: down' },
      locked(watched, finding({ state: 'escalated' })),
    );
    expect(plan.updates).toEqual([
      expect.objectContaining({
        status: 'cancelled',
        nextCheckAt: new Date('2026-11-20T00:30:00Z'),
        error: 'AUTHORITY_SERVICE_UNAVAILABLE: down',
      }),
    ]);
    expect(plan.resumptions).toEqual([]);
  });
});
