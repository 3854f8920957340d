import { NUONUO_CODES } from '@lib/protocols';
import { ExternalCallError, FailureKind } from '@lib/resilience';
import { failure } from '../shared/call-failures';

const NAME_BY_CODE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(NUONUO_CODES).map(([name, code]) => [code, name]),
);

const C = NUONUO_CODES;

/** Codes meaning the access token must be replaced (refused before any processing). */
export const TOKEN_REFUSALS: ReadonlySet<string> = new Set([C.INVALID_TOKEN, C.TOKEN_EXPIRED]);

/**
 * Kind per envelope code (E0000, E9106 duplicate serial and E9500 not found are answers, handled by the
 * adapter): E4000 bad field → rejected; E9999 system error → unknown; E9613 (a serial resubmitted more than
 * 20 times today) and the E90xx gateway refusals (parameters, signature, token, timestamp, taxpayer) →
 * not_sent, most of them configuration problems.
 */
const KIND_BY_CODE: Readonly<Record<string, FailureKind>> = {
  [C.BAD_FIELD]: 'rejected',
  [C.SYSTEM_ERROR]: 'unknown',
  [C.SERIAL_DAILY_LIMIT]: 'not_sent',
  [C.BAD_SYSTEM_PARAMS]: 'not_sent',
  [C.INVALID_SIGNATURE]: 'not_sent',
  [C.INVALID_TOKEN]: 'not_sent',
  [C.TOKEN_EXPIRED]: 'not_sent',
  [C.TIMESTAMP_EXPIRED]: 'not_sent',
  [C.TAXPAYER_FORBIDDEN]: 'not_sent',
  [C.UNKNOWN_METHOD]: 'not_sent',
  [C.TOKEN_BAD_CLIENT]: 'not_sent',
  [C.TOKEN_BAD_GRANT]: 'not_sent',
  [C.TOKEN_QUOTA]: 'not_sent',
};

/** Our code for a Nuonuo code: `NUONUO_` + its name (`E9613` → `NUONUO_SERIAL_DAILY_LIMIT`). */
export function nuonuoCode(code: string): string {
  return `NUONUO_${NAME_BY_CODE[code] ?? `CODE_${code.replace(/\W/g, '_')}`}`;
}

export function nuonuoFailure(target: string, code: string, describe: string, retryAfterMs?: number): ExternalCallError {
  const kind = KIND_BY_CODE[code] ?? 'unknown';
  return failure(target, kind, nuonuoCode(code), `${code} ${describe}`, { retryAfterMs });
}
