/**
 * Serials this process submitted recently (bounded by time), the fallback when the caller does not say
 * when it first sent a serial (`DeliveryRequest.firstSentAt`): Nuonuo answers "not found" for a while after
 * taking an order, which must then mean pending, not absent (absent would make the caller send it again).
 */
export class RecentSubmissions {
  private readonly firstAt = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  note(serialNo: string, nowMs: number): void {
    this.prune(nowMs);
    if (!this.firstAt.has(serialNo)) this.firstAt.set(serialNo, nowMs);
  }

  within(serialNo: string, nowMs: number): boolean {
    const at = this.firstAt.get(serialNo);
    return at !== undefined && this.withinSince(at, nowMs);
  }

  /** Whether a submit at `atMs` (e.g. the caller's recorded first send) is still inside the window. */
  withinSince(atMs: number, nowMs: number): boolean {
    return nowMs - atMs < this.windowMs;
  }

  private prune(nowMs: number): void {
    for (const [serial, at] of this.firstAt) {
      if (nowMs - at < this.windowMs) break;
      this.firstAt.delete(serial);
    }
  }
}
