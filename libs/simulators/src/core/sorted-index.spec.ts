import fc from 'fast-check';
import { comparePositions, SortedIndex, type IndexPosition } from './sorted-index';

const entry = (issuedAtMs: number, key: string): IndexPosition => ({ issuedAtMs, key });

describe('SortedIndex', () => {
  it('keeps any insertion order sorted and seeks strictly after a cursor', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 10_000 }))),
        (pairs) => {
          const index = new SortedIndex<IndexPosition>(4);
          const unique = new Map(
            pairs.map(([t, k]) => [
              `${t}|${String(k).padStart(5, '0')}`,
              entry(t, String(k).padStart(5, '0')),
            ]),
          );
          for (const item of unique.values()) index.insert(item);
          const expected = [...unique.values()].sort(comparePositions);
          expect([...index.after(null)]).toEqual(expected);
          expect(index.size).toBe(expected.length);
          if (expected.length > 0) {
            const cut = expected[Math.floor(expected.length / 2)];
            expect([...index.after(cut)]).toEqual(expected.filter((e) => comparePositions(e, cut) > 0));
          }
        },
      ),
    );
  });

  it('bulk-inserts appended and interleaved batches', () => {
    const index = new SortedIndex<IndexPosition>(8);
    index.insertMany(Array.from({ length: 100 }, (_, i) => entry(i * 2, `k${i}`)));
    index.insertMany(Array.from({ length: 100 }, (_, i) => entry(i * 2 + 1, `k${i}`)));
    index.insertMany(Array.from({ length: 10 }, (_, i) => entry(1000 + i, `z${i}`)));
    const all = [...index.after(null)];
    expect(all).toHaveLength(210);
    for (let i = 1; i < all.length; i += 1) expect(comparePositions(all[i - 1], all[i])).toBeLessThan(0);
  });

  it('seeks with a cursor that is not itself in the index', () => {
    const index = new SortedIndex<IndexPosition>(2);
    for (let i = 0; i < 10; i += 1) index.insert(entry(i * 10, 'a'));
    expect([...index.after(entry(35, 'x'))].map((e) => e.issuedAtMs)).toEqual([40, 50, 60, 70, 80, 90]);
    expect([...index.after(entry(-1, 'a'))]).toHaveLength(10);
    expect([...index.after(entry(1000, 'a'))]).toHaveLength(0);
  });
});
