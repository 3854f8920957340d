/**
 * Remembers nonces for a time-to-live and rejects a second use. Entries expire in insertion order, so
 * pruning is amortised O(1); memory is bounded by the request rate × TTL. In-memory, one process.
 */
export class NonceReplayGuard {
  private readonly seen = new Map<string, number>();
  private readonly order: Array<{ key: string; expiresAt: number }> = [];
  private head = 0;

  constructor(private readonly ttlMs: number) {}

  /** True when the nonce is fresh (and records it), false on a replay. */
  accept(scope: string, nonce: string, nowMs: number): boolean {
    this.prune(nowMs);
    const key = `${scope}\u0000${nonce}`;
    const expiresAt = this.seen.get(key);
    if (expiresAt !== undefined && expiresAt > nowMs) return false;
    const entry = { key, expiresAt: nowMs + this.ttlMs };
    this.seen.set(key, entry.expiresAt);
    this.order.push(entry);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  clear(): void {
    this.seen.clear();
    this.order.length = 0;
    this.head = 0;
  }

  private prune(nowMs: number): void {
    while (this.head < this.order.length && this.order[this.head].expiresAt <= nowMs) {
      const { key, expiresAt } = this.order[this.head];
      if (this.seen.get(key) === expiresAt) this.seen.delete(key);
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }
}
