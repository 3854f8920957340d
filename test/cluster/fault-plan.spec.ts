import { faultSeed, planFaults, seededRandom } from './fault-plan';

describe('seeded fault plan', () => {
  it('plays the same faults at the same moments from the same seed, and others from another', () => {
    const plan = (seed: string) => planFaults(seededRandom(seed), 8, 3_000);
    expect(plan('c0ffee')).toEqual(plan('c0ffee'));
    expect(plan('c0ffee')).not.toEqual(plan('decade'));
  });

  it('strikes each fault inside its own stretch of invoices, in whole batches of ten, and ends it after', () => {
    const steps = planFaults(seededRandom('abc'), 20, 2_000);
    expect(steps).toHaveLength(20);
    for (const s of steps) {
      expect(s.strikeAt % 10).toBe(0);
      expect(s.endAt % 10).toBe(0);
      expect(0 < s.strikeAt && s.strikeAt < s.endAt && s.endAt < s.invoices).toBe(true);
    }
    expect(new Set(steps.map((s) => s.fault.kind)).size).toBe(3);
  });

  it('takes the seed from CLUSTER_FAULT_SEED, or makes a new one', () => {
    expect(faultSeed({ CLUSTER_FAULT_SEED: ' 1234abcd ' })).toBe('1234abcd');
    expect(faultSeed({})).toMatch(/^[0-9a-f]{8}$/);
  });
});
