import { DEVICE_EVENT_NAME_MAX } from '@lib/contracts';

/**
 * The registered name as an event carries it: registration allows longer names than the event contract, and an event
 * its consumers reject would be lost to the DLQ, so a longer name is cut to the contract's length (UTF-16 units, as
 * the schema counts them), never inside a character.
 */
export function eventDeviceName(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return null;
  let cut = '';
  for (const char of trimmed) {
    if (cut.length + char.length > DEVICE_EVENT_NAME_MAX) break;
    cut += char;
  }
  return cut;
}
