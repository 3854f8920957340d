import { adoptForm, adoptNewForm, correctionStatusOf, formIsAbout, isActiveRequest, isVoidForm, newFormExplanation, nextCheckAt, voidFormExplanation } from './red-form.rules';

const KEY = '25442000000000000007';
const form = (formId: string, state: string, createdAt: string, updatedAt = createdAt, key = KEY) => ({
  formId,
  state,
  originalInvoiceKey: key,
  createdAt,
  updatedAt,
});

describe('red-letter form rules', () => {
  it('knows a form is about our invoice whichever way each side writes its key', () => {
    expect(formIsAbout({ originalInvoiceKey: '03500230011112345678' }, '035002300111-12345678')).toBe(true);
    expect(formIsAbout({ originalInvoiceKey: '350023001112345678' }, '3500230011-12345678')).toBe(true);
    expect(formIsAbout({ originalInvoiceKey: KEY }, KEY)).toBe(true);
    expect(formIsAbout({ originalInvoiceKey: '03500230011112345679' }, '035002300111-12345678')).toBe(false);
    const coded = form('HZ9', '02', '2026-10-20T01:00:00Z', undefined, '03500230011112345678');
    expect(adoptForm('035002300111-12345678', new Date('2026-10-20T00:00:00Z'), [coded])?.formId).toBe('HZ9');
    expect(adoptNewForm('035002300111-12345678', [], [coded])?.formId).toBe('HZ9');
  });

  it('maps the authority states to the correction status', () => {
    expect(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10'].map(correctionStatusOf)).toEqual([
      'confirmed', 'submitted', 'submitted', 'confirmed', 'cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled',
    ]);
    expect(isVoidForm('04')).toBe(false);
    expect(isVoidForm('07')).toBe(true);
  });

  it('explains a void form in one sentence a finance clerk understands', () => {
    expect(voidFormExplanation(KEY, 'HZ01', '07')).toBe(
      `Invoice ${KEY} still differs from the authority's record and its red-letter confirmation form HZ01 expired because the other party did not confirm it within 72 hours (state 07), so no red invoice can be issued with it; a person must agree the correction with the buyer and enter a new form.`,
    );
    expect(voidFormExplanation(KEY, 'HZ02', '05')).toContain('form HZ02 was rejected by the buyer (state 05)');
    expect(voidFormExplanation(KEY, 'HZ03', '06')).toContain('form HZ03 was rejected by the seller (state 06)');
  });

  it('follows the newest live form of the invoice, or one that changed after the request, never an old void one', () => {
    const requested = new Date('2026-11-20T00:00:00Z');
    const oldVoid = form('HZ1', '07', '2026-11-01T00:00:00Z', '2026-11-04T00:00:00Z');
    const live = form('HZ2', '02', '2026-11-19T00:00:00Z');
    const other = form('HZ3', '02', '2026-11-21T00:00:00Z', '2026-11-21T00:00:00Z', '25442000000000000099');
    expect(adoptForm(KEY, requested, [oldVoid])).toBeNull();
    expect(adoptForm(KEY, requested, [oldVoid, live, other])?.formId).toBe('HZ2');
    const rejectedSince = form('HZ4', '05', '2026-11-20T01:00:00Z', '2026-11-20T05:00:00Z');
    expect(adoptForm(KEY, requested, [live, rejectedSince])?.formId).toBe('HZ4');
  });

  it('never adopts a form an earlier request of the finding followed, whatever its state', () => {
    const requested = new Date('2026-11-20T00:00:00Z');
    const used = form('HZ1', '04', '2026-11-10T00:00:00Z', '2026-11-11T00:00:00Z');
    const fresh = form('HZ2', '02', '2026-11-09T00:00:00Z');
    expect(adoptForm(KEY, requested, [used, fresh])?.formId).toBe('HZ1');
    expect(adoptForm(KEY, requested, [used, fresh], ['HZ1'])?.formId).toBe('HZ2');
    expect(adoptForm(KEY, requested, [used], ['HZ1'])).toBeNull();
  });

  it('after an escalation, follows only a new live form of the invoice', () => {
    const voided = form('HZ1', '07', '2026-11-01T00:00:00Z', '2026-11-04T00:00:00Z');
    const rejectedNew = form('HZ2', '05', '2026-11-05T00:00:00Z', '2026-11-06T00:00:00Z');
    const otherInvoice = form('HZ3', '02', '2026-11-07T00:00:00Z', '2026-11-07T00:00:00Z', '25442000000000000099');
    expect(adoptNewForm(KEY, ['HZ1'], [voided, rejectedNew, otherInvoice])).toBeNull();
    const entered = form('HZ4', '02', '2026-11-08T00:00:00Z');
    const confirmed = form('HZ5', '04', '2026-11-09T00:00:00Z', '2026-11-10T00:00:00Z');
    expect(adoptNewForm(KEY, ['HZ1'], [voided, entered, rejectedNew])?.formId).toBe('HZ4');
    expect(adoptNewForm(KEY, ['HZ1'], [voided, entered, confirmed])?.formId).toBe('HZ5');
    expect(adoptNewForm(KEY, ['HZ1', 'HZ5'], [voided, entered, confirmed])?.formId).toBe('HZ4');
  });

  it('explains a finding back in remediation because a new form was entered', () => {
    expect(newFormExplanation(KEY, 'HZ01', 'HZ02', '02')).toBe(
      `Invoice ${KEY} still differs from the authority's record; a new red-letter confirmation form HZ02 was entered after form HZ01 became void, and it was entered by the seller and awaits the buyer's confirmation (state 02); the correction is followed again.`,
    );
    expect(newFormExplanation(KEY, null, 'HZ02', '04')).toContain(
      'after the previous form became void, and it was confirmed by both parties, so the red invoice can be issued (state 04)',
    );
  });

  it('reads each request again after the interval of where it stands, and a closed one never', () => {
    const now = new Date('2026-11-20T00:00:00Z');
    const intervals = { pendingCheckMs: 60_000, confirmedCheckMs: 3_600_000, escalatedCheckMs: 7_200_000 };
    expect(nextCheckAt('requested', now, intervals)?.toISOString()).toBe('2026-11-20T00:01:00.000Z');
    expect(nextCheckAt('submitted', now, intervals)?.toISOString()).toBe('2026-11-20T00:01:00.000Z');
    expect(nextCheckAt('confirmed', now, intervals)?.toISOString()).toBe('2026-11-20T01:00:00.000Z');
    expect(nextCheckAt('cancelled', now, intervals)?.toISOString()).toBe('2026-11-20T02:00:00.000Z');
    expect(nextCheckAt('closed', now, intervals)).toBeNull();
    const slower = { pendingCheckMs: 600_000, confirmedCheckMs: 86_400_000, escalatedCheckMs: 172_800_000 };
    expect(nextCheckAt('submitted', now, slower)?.toISOString()).toBe('2026-11-20T00:10:00.000Z');
    expect(nextCheckAt('confirmed', now, slower)?.toISOString()).toBe('2026-11-21T00:00:00.000Z');
    expect(nextCheckAt('cancelled', now, slower)?.toISOString()).toBe('2026-11-22T00:00:00.000Z');
  });

  it('counts only requested, submitted and confirmed requests as active', () => {
    expect((['requested', 'submitted', 'confirmed', 'cancelled', 'closed'] as const).map(isActiveRequest)).toEqual([true, true, true, false, false]);
  });
});
