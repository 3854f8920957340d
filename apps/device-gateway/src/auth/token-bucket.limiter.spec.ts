import { TokenBucketLimiter } from './token-bucket.limiter';

describe('TokenBucketLimiter', () => {
  it('allows a burst, then one request per 60/rate seconds, per key', () => {
    const limiter = new TokenBucketLimiter(60, 3);
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take('a', t0).allowed)).toEqual([true, true, true]);
    expect(limiter.take('a', t0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('b', t0).allowed).toBe(true);
    expect(limiter.take('a', t0 + 999).allowed).toBe(false);
    expect(limiter.take('a', t0 + 1_000).allowed).toBe(true);
  });

  it('says how long to wait, in whole seconds', () => {
    const limiter = new TokenBucketLimiter(3, 1);
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('a', 0)).toEqual({ allowed: false, retryAfterSeconds: 20 });
    expect(limiter.take('a', 15_000)).toEqual({ allowed: false, retryAfterSeconds: 5 });
  });

  it('peeks without taking', () => {
    const limiter = new TokenBucketLimiter(60, 1);
    expect([1, 2, 3].map(() => limiter.peek('a', 0).allowed)).toEqual([true, true, true]);
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.peek('a', 0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('never saves up more than the burst', () => {
    const limiter = new TokenBucketLimiter(600, 2);
    limiter.take('a', 0);
    const later = 3_600_000;
    expect([1, 2, 3].map(() => limiter.take('a', later).allowed)).toEqual([true, true, false]);
  });
});
