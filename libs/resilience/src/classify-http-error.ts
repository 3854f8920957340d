import { AxiosError, isAxiosError } from 'axios';
import { ExternalCallError, FailureKind } from './call-outcome';

const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EOPENBREAKER',
]);

/** Maps an axios/opossum failure to what we know about its effect at the target. */
export function classifyHttpError(target: string, error: unknown): ExternalCallError {
  if (error instanceof ExternalCallError) return error;
  const code = (error as { code?: unknown })?.code;
  if (code === 'EOPENBREAKER') {
    return new ExternalCallError(
      target,
      'not_sent',
      'BREAKER_OPEN',
      `${target}: circuit breaker is open`,
      undefined,
      undefined,
      {
        cause: error,
      },
    );
  }
  if (!isAxiosError(error)) {
    return new ExternalCallError(
      target,
      'unknown',
      'CALL_FAILED',
      `${target}: ${String(error)}`,
      undefined,
      undefined,
      {
        cause: error,
      },
    );
  }
  return fromAxios(target, error);
}

function fromAxios(target: string, error: AxiosError): ExternalCallError {
  const status = error.response?.status;
  if (status !== undefined) {
    const retryAfterMs = parseRetryAfter(error.response?.headers?.['retry-after']);
    const kind: FailureKind = status === 429 ? 'not_sent' : status >= 500 ? 'unknown' : 'rejected';
    const code = status === 429 ? 'RATE_LIMITED' : `HTTP_${status}`;
    return new ExternalCallError(target, kind, code, `${target}: HTTP ${status}`, status, retryAfterMs, {
      cause: error,
    });
  }
  const errCode = error.code ?? 'NETWORK';
  if (NOT_SENT_CODES.has(errCode)) {
    return new ExternalCallError(
      target,
      'not_sent',
      errCode,
      `${target}: ${error.message}`,
      undefined,
      undefined,
      {
        cause: error,
      },
    );
  }
  // ECONNABORTED / ETIMEDOUT / ECONNRESET / socket hang up / deadline: the request may have been processed.
  const deadline = deadlinePassed(error);
  const timeout = deadline || errCode === 'ECONNABORTED' || errCode === 'ETIMEDOUT';
  return new ExternalCallError(
    target,
    'unknown',
    timeout ? 'TIMEOUT' : errCode,
    deadline ? `${target}: no complete answer within the call's deadline` : `${target}: ${error.message}`,
    undefined,
    undefined,
    {
      cause: error,
    },
  );
}

/** The client's per-call deadline (AbortSignal.timeout) cancelled the request: a timeout like any other. */
function deadlinePassed(error: AxiosError): boolean {
  const reason = (error.config?.signal as AbortSignal | undefined)?.reason as { name?: unknown } | undefined;
  return error.code === AxiosError.ERR_CANCELED && reason?.name === 'TimeoutError';
}

export function parseRetryAfter(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
