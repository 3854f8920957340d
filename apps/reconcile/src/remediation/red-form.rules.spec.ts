import { adoptForm, correctionStatusOf, isVoidForm, nextCheckAt, voidFormExplanation } from './red-form.rules';

const KEY = '25442000000000000007';
const form = (formId: string, state: string, createdAt: string, updatedAt = createdAt, key = KEY) => ({
  formId,
  state,
  originalInvoiceKey: key,
  createdAt,
  updatedAt,
});

describe('red-letter form rules', () => {
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

  it('reads a pending form sooner than a confirmed one, and a void one never again', () => {
    const now = new Date('2026-11-20T00:00:00Z');
    expect(nextCheckAt('submitted', now, 60_000, 3_600_000)?.toISOString()).toBe('2026-11-20T00:01:00.000Z');
    expect(nextCheckAt('confirmed', now, 60_000, 3_600_000)?.toISOString()).toBe('2026-11-20T01:00:00.000Z');
    expect(nextCheckAt('cancelled', now, 60_000, 3_600_000)).toBeNull();
  });
});
