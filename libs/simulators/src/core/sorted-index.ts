/** Position of an invoice in a listing: issue time, then invoice key. */
export interface IndexPosition {
  issuedAtMs: number;
  key: string;
}

export function comparePositions(a: IndexPosition, b: IndexPosition): number {
  if (a.issuedAtMs !== b.issuedAtMs) return a.issuedAtMs - b.issuedAtMs;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * An ordered set kept as a list of sorted chunks (a flat B-tree): insert and seek cost O(log n + chunk),
 * so a million-entry listing stays cheap while uploads keep arriving. Entries are never removed.
 */
export class SortedIndex<T extends IndexPosition> {
  private chunks: T[][] = [];
  private count = 0;

  constructor(private readonly chunkSize = 1024) {}

  get size(): number {
    return this.count;
  }

  insert(item: T): void {
    this.count += 1;
    if (this.chunks.length === 0) {
      this.chunks.push([item]);
      return;
    }
    const chunkIndex = Math.max(0, this.firstChunkStartingAfter(item) - 1);
    const chunk = this.chunks[chunkIndex];
    chunk.splice(upperBound(chunk, item), 0, item);
    if (chunk.length > this.chunkSize * 2) {
      this.chunks.splice(chunkIndex + 1, 0, chunk.splice(this.chunkSize));
    }
  }

  /** Adds many items at once; cheap when they all sort after the current last entry (bulk seeding). */
  insertMany(items: T[]): void {
    if (items.length === 0) return;
    const sorted = isSorted(items) ? items : [...items].sort(comparePositions);
    const last = this.last();
    if (last && comparePositions(sorted[0], last) <= 0) {
      if (sorted.length < 64) {
        for (const item of sorted) this.insert(item);
        return;
      }
      this.rebuild(mergeSorted(this.chunks.flat(), sorted));
      return;
    }
    this.count += sorted.length;
    for (let i = 0; i < sorted.length; i += this.chunkSize)
      this.chunks.push(sorted.slice(i, i + this.chunkSize));
  }

  /** Entries strictly after `cursor` (from the start when null), in order. Do not mutate while iterating. */
  *after(cursor: IndexPosition | null): Generator<T> {
    let chunkIndex = 0;
    let offset = 0;
    if (cursor) {
      chunkIndex = Math.max(0, this.firstChunkStartingAfter(cursor) - 1);
      offset = upperBound(this.chunks[chunkIndex] ?? [], cursor);
    }
    for (; chunkIndex < this.chunks.length; chunkIndex += 1, offset = 0) {
      const chunk = this.chunks[chunkIndex];
      for (let i = offset; i < chunk.length; i += 1) yield chunk[i];
    }
  }

  private last(): T | undefined {
    const chunk = this.chunks[this.chunks.length - 1];
    return chunk?.[chunk.length - 1];
  }

  /** Index of the first chunk whose first entry sorts after `position`. */
  private firstChunkStartingAfter(position: IndexPosition): number {
    let low = 0;
    let high = this.chunks.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (comparePositions(this.chunks[mid][0], position) <= 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private rebuild(all: T[]): void {
    this.chunks = [];
    this.count = all.length;
    for (let i = 0; i < all.length; i += this.chunkSize) this.chunks.push(all.slice(i, i + this.chunkSize));
  }
}

/** Index of the first entry sorting after `position`. */
function upperBound<T extends IndexPosition>(chunk: T[], position: IndexPosition): number {
  let low = 0;
  let high = chunk.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (comparePositions(chunk[mid], position) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

function isSorted<T extends IndexPosition>(items: T[]): boolean {
  for (let i = 1; i < items.length; i += 1) if (comparePositions(items[i - 1], items[i]) > 0) return false;
  return true;
}

function mergeSorted<T extends IndexPosition>(left: T[], right: T[]): T[] {
  const out: T[] = new Array<T>(left.length + right.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < left.length && j < right.length)
    out[k++] = comparePositions(left[i], right[j]) <= 0 ? left[i++] : right[j++];
  while (i < left.length) out[k++] = left[i++];
  while (j < right.length) out[k++] = right[j++];
  return out;
}
