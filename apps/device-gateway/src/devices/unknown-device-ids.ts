const MAX_IDS = 20_000;

/**
 * Ids that named no device when last looked up, remembered for a short while in a bounded set of their own: a
 * flood of random ids costs one lookup per id (not per request) and pushes out only other unknown ids, never a
 * cached device. Entries share one TTL, so insertion order is expiry order and the oldest goes first when full.
 */
export class UnknownDeviceIds {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly ttlMs: number) {}

  has(deviceId: string, now: number): boolean {
    const expiresAt = this.expiries.get(deviceId);
    if (expiresAt === undefined) return false;
    if (expiresAt > now) return true;
    this.expiries.delete(deviceId);
    return false;
  }

  add(deviceId: string, now: number): void {
    if (this.ttlMs <= 0) return;
    this.expiries.delete(deviceId);
    if (this.expiries.size >= MAX_IDS) this.expiries.delete(this.expiries.keys().next().value as string);
    this.expiries.set(deviceId, now + this.ttlMs);
  }

  delete(deviceId: string): void {
    this.expiries.delete(deviceId);
  }
}
