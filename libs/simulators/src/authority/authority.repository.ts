import { SortedIndex, type IndexPosition } from '../core/sorted-index';
import { periodOf } from '../core/shanghai-time.util';
import { isLost, isVisible, type AuthorityRecord } from './authority-record';

export type ListDirection = 'sales' | 'purchase';

export interface VisibilityStats {
  records: number;
  visible: number;
  pendingVisibility: number;
  neverVisible: number;
}

/**
 * In-memory store of the authority: a Map by invoice key, one sorted index per (taxpayer, direction,
 * period) for listing, and the set of records still waiting for their visibility time (so the state
 * counters never scan a million records).
 */
export class AuthorityRepository {
  private records = new Map<string, AuthorityRecord>();
  private indexes = new Map<string, SortedIndex<AuthorityRecord>>();
  private pending = new Set<AuthorityRecord>();
  /** The records of each (seller, 机器编号, period): what a device issued, for its 抄报. */
  private devices = new Map<string, AuthorityRecord[]>();
  private lost = 0;
  private queryCounts = new Map<string, number>();

  get size(): number {
    return this.records.size;
  }

  get(key: string): AuthorityRecord | undefined {
    return this.records.get(key);
  }

  has(key: string): boolean {
    return this.records.has(key);
  }

  add(record: AuthorityRecord): void {
    this.records.set(record.key, record);
    this.indexFor(record.sellerTaxNo, 'sales', periodOf(record.issuedAtMs)).insert(record);
    if (record.buyerTaxNo)
      this.indexFor(record.buyerTaxNo, 'purchase', periodOf(record.issuedAtMs)).insert(record);
    this.byDevice(record, periodOf(record.issuedAtMs));
    this.track(record);
  }

  /** Bulk add (seeding): records sorted by (issue time, key) whose keys are not stored yet. */
  addMany(records: AuthorityRecord[], knownPeriod?: string): void {
    if (records.length === 0) return;
    const byIndex = new Map<string, AuthorityRecord[]>();
    const push = (indexKey: string, record: AuthorityRecord): void => {
      let list = byIndex.get(indexKey);
      if (!list) byIndex.set(indexKey, (list = []));
      list.push(record);
    };
    for (const record of records) {
      this.records.set(record.key, record);
      const period = knownPeriod ?? periodOf(record.issuedAtMs);
      push(indexKey(record.sellerTaxNo, 'sales', period), record);
      if (record.buyerTaxNo) push(indexKey(record.buyerTaxNo, 'purchase', period), record);
      this.byDevice(record, period);
      this.track(record);
    }
    for (const [key, list] of byIndex) this.indexByKey(key).insertMany(list);
  }

  /** Changes when a stored record becomes visible (e.g. a lost upload sent again). */
  setVisibleAt(record: AuthorityRecord, visibleAtMs: number): void {
    if (isLost(record)) this.lost -= 1;
    this.pending.delete(record);
    record.visibleAtMs = visibleAtMs;
    this.track(record);
  }

  /**
   * Up to `limit` records visible at `nowMs` strictly after `cursor`, and whether more visible ones follow.
   */
  list(
    taxNo: string,
    direction: ListDirection,
    period: string,
    cursor: IndexPosition | null,
    limit: number,
    nowMs: number,
  ): { items: AuthorityRecord[]; more: boolean } {
    const index = this.indexes.get(indexKey(taxNo, direction, period));
    const items: AuthorityRecord[] = [];
    if (!index) return { items, more: false };
    for (const record of index.after(cursor)) {
      if (!isVisible(record, nowMs)) continue;
      if (items.length === limit) return { items, more: true };
      items.push(record);
    }
    return { items, more: false };
  }

  /** Every record the device (seller, 机器编号) issued in the period, whatever its visibility or status. */
  ofDevice(taxNo: string, machineNo: string, period: string): readonly AuthorityRecord[] {
    return this.devices.get(deviceKey(taxNo, machineNo, period)) ?? [];
  }

  /** Counts one 查验 of an invoice on a (simulated) day through a channel; returns the count so far. */
  countQuery(channel: string, key: string, day: string): number {
    const counterKey = `${channel}|${key}|${day}`;
    const count = (this.queryCounts.get(counterKey) ?? 0) + 1;
    this.queryCounts.set(counterKey, count);
    return count;
  }

  stats(nowMs: number): VisibilityStats {
    for (const record of this.pending) if (isVisible(record, nowMs)) this.pending.delete(record);
    const pendingVisibility = this.pending.size;
    return {
      records: this.records.size,
      visible: this.records.size - pendingVisibility - this.lost,
      pendingVisibility,
      neverVisible: this.lost,
    };
  }

  clear(): void {
    this.records = new Map();
    this.indexes = new Map();
    this.pending = new Set();
    this.devices = new Map();
    this.queryCounts = new Map();
    this.lost = 0;
  }

  private track(record: AuthorityRecord): void {
    if (isLost(record)) this.lost += 1;
    else if (record.visibleAtMs > record.acceptedAtMs) this.pending.add(record);
  }

  private byDevice(record: AuthorityRecord, period: string): void {
    if (record.machineNo === null) return;
    const key = deviceKey(record.sellerTaxNo, record.machineNo, period);
    const list = this.devices.get(key);
    if (list) list.push(record);
    else this.devices.set(key, [record]);
  }

  private indexFor(taxNo: string, direction: ListDirection, period: string): SortedIndex<AuthorityRecord> {
    return this.indexByKey(indexKey(taxNo, direction, period));
  }

  private indexByKey(key: string): SortedIndex<AuthorityRecord> {
    let index = this.indexes.get(key);
    if (!index) this.indexes.set(key, (index = new SortedIndex<AuthorityRecord>()));
    return index;
  }
}

function indexKey(taxNo: string, direction: ListDirection, period: string): string {
  return `${taxNo}|${direction}|${period}`;
}

function deviceKey(taxNo: string, machineNo: string, period: string): string {
  return `${taxNo}|${machineNo}|${period}`;
}
