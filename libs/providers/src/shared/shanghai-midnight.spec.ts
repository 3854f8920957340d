import { msUntilNextShanghaiMidnight } from './shanghai-midnight';

describe('msUntilNextShanghaiMidnight', () => {
  it('counts to 00:00 +08:00 of the next Shanghai day', () => {
    expect(msUntilNextShanghaiMidnight(new Date('2026-03-01T15:00:00Z'))).toBe(60 * 60_000); // 23:00 in Shanghai
    expect(msUntilNextShanghaiMidnight(new Date('2026-03-01T16:00:00Z'))).toBe(24 * 3_600_000); // exactly midnight
    expect(msUntilNextShanghaiMidnight(new Date('2026-03-01T16:00:01Z'))).toBe(24 * 3_600_000 - 1_000);
  });
});
