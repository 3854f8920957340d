import type { Response } from 'express';
import { BAIWANG_ERRORS, type BaiwangErrorResponse } from '@lib/protocols';
import { nextRequestId } from '../core/http.util';
import type { GateRenderers } from '../faults/fault-gate.middleware';

export function sendBaiwangOk(res: Response, response: unknown): void {
  res.status(200).json({ success: true, requestId: nextRequestId('BW'), response });
}

export function sendBaiwangError(
  res: Response,
  error: BaiwangErrorResponse,
  sub?: { subCode?: string; subMsg?: string },
  httpStatus = 200,
): void {
  res
    .status(httpStatus)
    .json({ success: false, requestId: nextRequestId('BW'), errorResponse: { ...error, ...sub } });
}

export const baiwangRenderers: GateRenderers = {
  outage: (res, retryAfter) => {
    res.setHeader('Retry-After', String(retryAfter));
    sendBaiwangError(res, BAIWANG_ERRORS.SYSTEM_ERROR, { subMsg: 'service unavailable' }, 503);
  },
  rateLimited: (res, retryAfter) => {
    res.setHeader('Retry-After', String(retryAfter));
    sendBaiwangError(res, BAIWANG_ERRORS.RATE_LIMITED, undefined, 429);
  },
  error: (res, status) => sendBaiwangError(res, BAIWANG_ERRORS.SYSTEM_ERROR, undefined, status),
};

export function renderBaiwangError(res: Response, status: number, message: string): void {
  sendBaiwangError(
    res,
    status < 500 ? BAIWANG_ERRORS.INVALID_BODY : BAIWANG_ERRORS.SYSTEM_ERROR,
    { subMsg: message },
    status,
  );
}
