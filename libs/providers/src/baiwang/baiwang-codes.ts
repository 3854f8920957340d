import { BAIWANG_ERRORS, BaiwangErrorResponse } from '@lib/protocols';
import { ExternalCallError, FailureKind } from '@lib/resilience';
import { failure } from '../shared/call-failures';

const NAME_BY_CODE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(BAIWANG_ERRORS).map(([name, error]) => [error.code, name]),
);

const E = BAIWANG_ERRORS;

/** Gateway codes meaning the token must be replaced (the call was refused before any processing). */
export const TOKEN_REFUSALS: ReadonlySet<string> = new Set([E.INVALID_TOKEN.code, E.TOKEN_EXPIRED.code]);

/**
 * Kind per errorResponse code:
 * - 100001 system busy → unknown (it may have been half done; look it up before resending);
 * - 1000xx gateway refusals (parameters, app key, timestamp, signature, token, OAuth, rate limit, taxpayer
 *   not granted to the app): refused before processing → not_sent; most are configuration problems;
 * - 2000xx/3000xx business answers (invoice invalid, not found, serial conflict, clearing failed) → rejected.
 */
const KIND_BY_CODE: Readonly<Record<string, FailureKind>> = {
  [E.SYSTEM_ERROR.code]: 'unknown',
  [E.INVOICE_INVALID.code]: 'rejected',
  [E.NOT_FOUND.code]: 'rejected',
  [E.SERIAL_CONFLICT.code]: 'rejected',
  [E.CLEAR_CARD_FAILED.code]: 'rejected',
};

/** Our code for a Baiwang error: `BAIWANG_` + its name (`100005` → `BAIWANG_INVALID_SIGNATURE`). */
export function baiwangCode(error: Pick<BaiwangErrorResponse, 'code'>): string {
  return `BAIWANG_${NAME_BY_CODE[error.code] ?? `CODE_${error.code.replace(/\W/g, '_')}`}`;
}

export function baiwangFailure(target: string, error: BaiwangErrorResponse | undefined): ExternalCallError {
  if (!error) return failure(target, 'unknown', 'BAIWANG_MALFORMED_ANSWER', 'success=false without errorResponse');
  const kind = KIND_BY_CODE[error.code] ?? (error.code.startsWith('1000') ? 'not_sent' : 'unknown');
  const sub = error.subCode || error.subMsg ? ` [${error.subCode ?? ''} ${error.subMsg ?? ''}]` : '';
  return failure(target, kind, baiwangCode(error), `${error.code} ${error.msg}${sub}`);
}
