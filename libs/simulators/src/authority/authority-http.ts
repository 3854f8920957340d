import type { Response } from 'express';
import { AUTHORITY_CODES, type AuthorityFieldError } from '@lib/protocols';
import type { IndexPosition } from '../core/sorted-index';
import type { GateRenderers } from '../faults/fault-gate.middleware';
import { nextRequestId } from '../core/http.util';
import type { ListDirection } from './authority.repository';

/** Writes the authority envelope `{code, message, requestId, data?, errors?}`. */
export function sendAuthority(
  res: Response,
  httpStatus: number,
  code: string,
  message: string,
  data?: unknown,
  errors?: AuthorityFieldError[],
): void {
  res.status(httpStatus).json({ code, message, requestId: nextRequestId('AR'), data, errors });
}

export const authorityRenderers: GateRenderers = {
  outage: (res, retryAfter) => {
    res.setHeader('Retry-After', String(retryAfter));
    sendAuthority(res, 503, AUTHORITY_CODES.SERVICE_UNAVAILABLE, '服务暂不可用');
  },
  rateLimited: (res, retryAfter) => {
    res.setHeader('Retry-After', String(retryAfter));
    sendAuthority(res, 429, AUTHORITY_CODES.RATE_LIMITED, '请求过于频繁');
  },
  error: (res, status) => sendAuthority(res, status, AUTHORITY_CODES.INTERNAL_ERROR, '系统内部错误'),
};

export function renderAuthorityError(res: Response, status: number, message: string): void {
  const code =
    status === 413 || status === 400 ? AUTHORITY_CODES.BAD_REQUEST : AUTHORITY_CODES.INTERNAL_ERROR;
  sendAuthority(res, status, code, message);
}

interface PageScope {
  taxNo: string;
  direction: ListDirection;
  period: string;
}

/** Opaque page token: the scope and the last position returned (so new arrivals never shift a page). */
export function encodePageToken(scope: PageScope, last: IndexPosition): string {
  const payload = [scope.taxNo, scope.direction, scope.period, last.issuedAtMs, last.key];
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function decodePageToken(token: string, scope: PageScope): IndexPosition | null {
  try {
    const payload = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(payload) || payload.length !== 5) return null;
    const [taxNo, direction, period, issuedAtMs, key] = payload as unknown[];
    if (taxNo !== scope.taxNo || direction !== scope.direction || period !== scope.period) return null;
    if (typeof issuedAtMs !== 'number' || typeof key !== 'string') return null;
    return { issuedAtMs, key };
  } catch {
    return null;
  }
}
