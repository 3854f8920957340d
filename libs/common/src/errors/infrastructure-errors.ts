/**
 * Recognises errors that mean "a dependency is unreachable right now" rather than "this input is
 * bad": network errors, PostgreSQL connection/shutdown codes, pool exhaustion. Callers answer 503
 * or retry later instead of rejecting the work.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
]);

// PostgreSQL SQLSTATE classes 08 (connection exception), 53 (insufficient resources),
// 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now), 40001/40P01 (serialization, deadlock: retry).
const PG_UNAVAILABLE = /^(08|53|57P0[1-3])/;
const PG_RETRY = new Set(['40001', '40P01', '55P03']);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function isDependencyUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && !seen.has(current)) {
    seen.add(current);
    const code = codeOf(current);
    if (code && (NETWORK_CODES.has(code) || PG_UNAVAILABLE.test(code))) return true;
    const message = messageOf(current);
    if (
      /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)|terminating connection/i.test(
        message,
      )
    ) {
      return true;
    }
    current = (current as { cause?: unknown; driverError?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}

export function isRetriableDatabaseError(error: unknown): boolean {
  const code = codeOf(error) ?? codeOf((error as { driverError?: unknown } | undefined)?.driverError);
  return code !== undefined && PG_RETRY.has(code);
}
