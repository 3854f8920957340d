/**
 * A weighted semaphore over the number of invoice keys this replica holds locked at once. Every accepted invoice key
 * takes a transaction-scoped advisory lock (the outbox orders messages per key that way), and advisory locks live in
 * PostgreSQL's shared lock table (max_locks_per_transaction × max_connections, about 12,000 entries on a default
 * server): ten concurrent batches of 1,000 invoices would exhaust it and every transaction in the database would fail
 * with "out of shared memory". Requests wait here instead.
 */
export class LockBudget {
  private available: number;
  private readonly waiters: { weight: number; resolve: () => void }[] = [];

  constructor(private readonly capacity: number) {
    this.available = capacity;
  }

  async use<T>(weight: number, work: () => Promise<T>): Promise<T> {
    const granted = Math.min(Math.max(weight, 1), this.capacity);
    await this.acquire(granted);
    try {
      return await work();
    } finally {
      this.release(granted);
    }
  }

  get inUse(): number {
    return this.capacity - this.available;
  }

  private acquire(weight: number): Promise<void> {
    // First come, first served: a large batch is not starved by a stream of small ones.
    if (this.waiters.length === 0 && this.available >= weight) {
      this.available -= weight;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push({ weight, resolve }));
  }

  private release(weight: number): void {
    this.available += weight;
    while (this.waiters.length > 0 && this.available >= this.waiters[0].weight) {
      const next = this.waiters.shift() as { weight: number; resolve: () => void };
      this.available -= next.weight;
      next.resolve();
    }
  }
}
