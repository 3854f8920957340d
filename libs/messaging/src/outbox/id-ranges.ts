/** Compact form of a set of row ids: [[first, last], ...], ascending. Ids are bigint-as-string. */
export type IdRange = [string, string];

export function toRanges(ids: string[]): IdRange[] {
  const sorted = ids.map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const ranges: IdRange[] = [];
  let start: bigint | undefined;
  let prev: bigint | undefined;
  for (const id of sorted) {
    if (start === undefined || prev === undefined) {
      start = prev = id;
    } else if (id === prev + 1n) {
      prev = id;
    } else {
      ranges.push([start.toString(), prev.toString()]);
      start = prev = id;
    }
  }
  if (start !== undefined && prev !== undefined) ranges.push([start.toString(), prev.toString()]);
  return ranges;
}

export function fromRanges(ranges: IdRange[]): string[] {
  const ids: string[] = [];
  for (const [first, last] of ranges) {
    for (let id = BigInt(first); id <= BigInt(last); id++) ids.push(id.toString());
  }
  return ids;
}
