export interface RateLimitDecision {
  allowed: boolean;
  /** Whole seconds until a request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const MAX_BUCKETS = 200_000;

/**
 * One token bucket per key (device), in this process's memory: `ratePerMinute` tokens a minute, at most `burst`
 * saved up. Per replica by design: N replicas behind a round-robin balancer let a device through at up to N times
 * the rate, which is fine for a flood guard, and it costs nothing on the hot path.
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    ratePerMinute: number,
    private readonly burst: number,
  ) {
    this.perMs = ratePerMinute / 60_000;
  }

  take(key: string, nowMs: number): RateLimitDecision {
    const decision = this.peek(key, nowMs);
    if (decision.allowed) (this.buckets.get(key) as Bucket).tokens -= 1;
    return decision;
  }

  /** What `take` would answer, without taking anything. */
  peek(key: string, nowMs: number): RateLimitDecision {
    const bucket = this.refill(key, nowMs);
    if (bucket.tokens >= 1) return { allowed: true, retryAfterSeconds: 0 };
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)),
    };
  }

  private refill(key: string, nowMs: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= MAX_BUCKETS) this.dropFullBuckets(nowMs);
      bucket = { tokens: this.burst, updatedAt: nowMs };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, nowMs - bucket.updatedAt);
    bucket.tokens = Math.min(this.burst, bucket.tokens + elapsed * this.perMs);
    bucket.updatedAt = nowMs;
    return bucket;
  }

  /** A full bucket is indistinguishable from a missing one: forgetting it changes nothing. */
  private dropFullBuckets(nowMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (nowMs - bucket.updatedAt) * this.perMs >= this.burst) this.buckets.delete(key);
    }
  }
}
