/** A single SMS carries 70 characters (UCS-2: any Chinese text); a longer one is split into parts of 67. */
export const SMS_SINGLE_LIMIT = 70;
export const SMS_PART_LIMIT = 67;

/** Characters as the handset counts them (code points, so an emoji is one). */
export function smsLength(text: string): number {
  return [...text].length;
}

export function smsSegments(text: string): number {
  const length = smsLength(text);
  return length <= SMS_SINGLE_LIMIT ? 1 : Math.ceil(length / SMS_PART_LIMIT);
}

/** How many characters fit in `segments` parts. */
export function smsCapacity(segments: number): number {
  return segments <= 1 ? SMS_SINGLE_LIMIT : segments * SMS_PART_LIMIT;
}

/** Shortens `text` (ending it with `…`) so that it fits in `maxLength` characters. */
export function truncateSms(text: string, maxLength: number): string {
  const chars = [...text];
  if (chars.length <= maxLength) return text;
  if (maxLength <= 0) return '';
  return `${chars.slice(0, maxLength - 1).join('')}…`;
}
