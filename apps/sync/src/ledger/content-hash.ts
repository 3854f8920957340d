import { createHash } from 'node:crypto';
import { Invoice } from '@lib/domain';

/** A stable hash of an invoice's content (keys sorted), to tell a resent issue from a conflicting one. */
export function invoiceContentHash(invoice: Invoice): string {
  return createHash('sha256').update(stableJson(invoice)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
