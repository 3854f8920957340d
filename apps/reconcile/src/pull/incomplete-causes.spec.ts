import { incompleteReason } from './incomplete-reason';
import { incompleteCauses } from './incomplete-causes';

describe('incompleteCauses', () => {
  it("names the authority unavailable from a channel's breaker or a 5xx, and the quota from a 查验 quota or a rate limit", () => {
    const down = incompleteReason({
      complete: false, channel: 'authority', coverage: null, supports: [],
      reason: 'authority: BREAKER_OPEN (authority is unavailable) on page 1; baiwang: UPSTREAM_5XX (baiwang answered 503) on page 3',
    });
    expect(incompleteCauses([down])).toEqual(['AUTHORITY_UNAVAILABLE']);
    expect(incompleteCauses(['per-invoice: 0 of 4 ledger invoices checked; 4 not checked (查验 quota used up (05) on every channel that could verify it; first x)'])).toEqual(['QUOTA_SPENT']);
    expect(incompleteCauses(['authority: RATE_LIMITED on page 2'])).toEqual(['QUOTA_SPENT']);
  });

  it('names each cause once, in a fixed order, and OTHER for a reason it cannot read', () => {
    expect(
      incompleteCauses([
        'authority: AUTHORITY_RECORD_INVALID on page 2 (bad amount)',
        'authority: RATE_LIMITED on page 1',
        'authority: ECONNREFUSED on page 1',
        'authority: ECONNREFUSED on page 1',
        'something nobody expected',
        null,
      ]),
    ).toEqual(['AUTHORITY_UNAVAILABLE', 'QUOTA_SPENT', 'RECORDS_INVALID', 'OTHER']);
    expect(incompleteCauses(['no authority channel'])).toEqual(['NO_CHANNEL']);
    expect(incompleteCauses([])).toEqual([]);
  });
});
