import { AUTHORITY_CODES, AuthorityEnvelope } from '@lib/protocols';
import { ExternalCallError } from '@lib/resilience';
import { failure } from '../shared/call-failures';

const NAME_BY_CODE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(AUTHORITY_CODES).map(([name, code]) => [code, name]),
);

/** Our code for an authority result code: `AUTHORITY_` + its name (`2102` → `AUTHORITY_INVOICE_TOTALS_MISMATCH`). */
export function authorityCode(code: string): string {
  return `AUTHORITY_${NAME_BY_CODE[code] ?? `CODE_${code.replace(/\W/g, '_')}`}`;
}

/**
 * What a non-0000 answer means for the call:
 * - 1xxx authentication (signature, clock skew, nonce, unknown app, taxpayer not ours): nothing was done,
 *   a configuration problem → not_sent;
 * - 2000 malformed request, 21xx business rules, 3xxx lookups and forms: the authority understood and
 *   refused → rejected;
 * - 9001 rate limited, 9002 unavailable: refused before processing → not_sent; 9999 internal → unknown.
 */
export function authorityFailure(
  target: string,
  envelope: Pick<AuthorityEnvelope<unknown>, 'code' | 'message' | 'errors'>,
  status?: number,
  retryAfterMs?: number,
): ExternalCallError {
  const code = authorityCode(envelope.code);
  const detail = envelope.errors?.length
    ? `${envelope.message} (${envelope.errors.map((e) => `${e.field ?? ''}: ${e.message}`).join('; ')})`
    : envelope.message;
  const message = `${envelope.code} ${detail}`;
  const first = envelope.code.charAt(0);
  if (first === '1') return failure(target, 'not_sent', code, `credentials or signature refused: ${message}`, { status });
  if (first === '2' || first === '3') return failure(target, 'rejected', code, message, { status });
  if (envelope.code === AUTHORITY_CODES.RATE_LIMITED || envelope.code === AUTHORITY_CODES.SERVICE_UNAVAILABLE) {
    return failure(target, 'not_sent', code, message, { status, retryAfterMs });
  }
  return failure(target, 'unknown', code, message, { status, retryAfterMs });
}
