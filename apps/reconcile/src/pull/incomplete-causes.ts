import { INCOMPLETE_CAUSES, IncompleteCause } from '@lib/contracts';

/**
 * What the words of a run's incomplete reason (the pull's channels' failures, run-reconciliation's incompleteReason)
 * say about why it could not finish, most telling first. A reason that matches none is OTHER.
 */
const PATTERNS: readonly [IncompleteCause, RegExp][] = [
  ['QUOTA_SPENT', /quota|RATE_LIMITED|LIMIT_REACHED|HTTP_429|\b429\b/i],
  ['AUTHORITY_UNAVAILABLE', /unavailable|BREAKER_OPEN|ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|TIMEOUT|ETIMEDOUT|UPSTREAM_5XX|HTTP_5\d\d|\b50[234]\b/i],
  ['RECORDS_INVALID', /AUTHORITY_RECORD_INVALID/],
  ['NO_CHANNEL', /no authority channel|no per-invoice channel/i],
];

/** The causes the reasons name, each once, in INCOMPLETE_CAUSES order; OTHER when a reason names none. */
export function incompleteCauses(reasons: readonly (string | null)[]): IncompleteCause[] {
  const found = new Set<IncompleteCause>();
  for (const reason of reasons) {
    const matched = PATTERNS.filter(([, pattern]) => pattern.test(reason ?? ''));
    for (const [cause] of matched) found.add(cause);
    if (matched.length === 0) found.add('OTHER');
  }
  return INCOMPLETE_CAUSES.filter((c) => found.has(c));
}
