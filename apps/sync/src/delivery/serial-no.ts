import { createHash } from 'node:crypto';
import { InvoiceEventKind } from '@lib/domain';
import { TargetName } from '@lib/providers';

/**
 * Our request serial at a target (Baiwang serialNo, Nuonuo orderNo, authority request id): the same for
 * every attempt of one delivery generation, so a resend is recognised and a lookup finds it. Derived,
 * not random, so it can be recomputed; 32 characters of [A-Z0-9] (the platforms allow 1-40 of [A-Za-z0-9_-]).
 */
export function serialNoFor(invoiceKey: string, kind: InvoiceEventKind, target: TargetName, generation: number): string {
  const digest = createHash('sha256').update(`${invoiceKey}|${kind}|${target}|${generation}`).digest('hex');
  return `SY${digest.slice(0, 30).toUpperCase()}`;
}
