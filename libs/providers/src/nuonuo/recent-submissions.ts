/**
 * Serials this process submitted recently (bounded by time): Nuonuo answers "not found" for a while after
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
    return at !== undefined && nowMs - at < this.windowMs;
  }

  private prune(nowMs: number): void {
    for (const [serial, at] of this.firstAt) {
      if (nowMs - at < this.windowMs) break;
      this.firstAt.delete(serial);
    }
  }
}
