import type { RequestHandler } from 'express';
import {
  AUTHORITY_CODES,
  AUTHORITY_HEADERS,
  AUTHORITY_SKEW_MS,
  NonceReplayGuard,
  verifyAuthoritySignature,
  type AuthorityVerifyFailure,
} from '@lib/protocols';
import type { SandboxCounters } from '../core/counters';
import { bodyBytes, param } from '../core/http.util';
import { sendAuthority } from './authority-http';

export interface AuthorityCredential {
  appId: string;
  appSecret: string;
  /** Taxpayers this app may act for; '*' for any. */
  taxNos: string[] | '*';
}

const FAILURES: Record<AuthorityVerifyFailure, [string, string]> = {
  MISSING_HEADERS: [AUTHORITY_CODES.AUTH_MISSING_HEADERS, '缺少签名请求头'],
  BAD_TIMESTAMP: [AUTHORITY_CODES.AUTH_CLOCK_SKEW, '时间戳格式错误'],
  CLOCK_SKEW: [AUTHORITY_CODES.AUTH_CLOCK_SKEW, '时间戳超出允许范围'],
  BAD_NONCE: [AUTHORITY_CODES.AUTH_MISSING_HEADERS, 'nonce格式错误'],
  BAD_SIGNATURE: [AUTHORITY_CODES.AUTH_BAD_SIGNATURE, '签名验证失败'],
};

/**
 * Verifies X-App-Id / X-Timestamp / X-Nonce / X-Signature over the exact path+query and body bytes, the
 * 300 s skew (real clock), nonce replay, and that the app may act for the `:taxNo` of the path.
 */
export function authorityAuth(
  credentials: () => AuthorityCredential[],
  nonces: NonceReplayGuard,
  counters: SandboxCounters,
  realNow: () => number,
): RequestHandler {
  return (req, res, next) => {
    const stats = counters.of('authority');
    const appId = req.header(AUTHORITY_HEADERS.appId);
    const credential = credentials().find((c) => c.appId === appId);
    if (!appId || !credential) {
      stats.authFailures += 1;
      return sendAuthority(res, 401, AUTHORITY_CODES.AUTH_UNKNOWN_APP, '应用不存在');
    }
    const nowMs = realNow();
    const outcome = verifyAuthoritySignature(
      credential.appSecret,
      {
        method: req.method,
        pathAndQuery: req.originalUrl,
        timestamp: req.header(AUTHORITY_HEADERS.timestamp),
        nonce: req.header(AUTHORITY_HEADERS.nonce),
        signature: req.header(AUTHORITY_HEADERS.signature),
        body: bodyBytes(req),
      },
      { nowMs, skewMs: AUTHORITY_SKEW_MS },
    );
    if (!outcome.ok) {
      if (outcome.reason === 'BAD_SIGNATURE') stats.signatureFailures += 1;
      else stats.authFailures += 1;
      const [code, message] = FAILURES[outcome.reason];
      return sendAuthority(res, 401, code, message);
    }
    if (!nonces.accept(appId, req.header(AUTHORITY_HEADERS.nonce)!, nowMs)) {
      stats.authFailures += 1;
      return sendAuthority(res, 401, AUTHORITY_CODES.AUTH_NONCE_REPLAY, 'nonce已使用');
    }
    const taxNo = param(req, 'taxNo');
    if (credential.taxNos !== '*' && !credential.taxNos.includes(taxNo)) {
      stats.authFailures += 1;
      return sendAuthority(res, 403, AUTHORITY_CODES.AUTH_TAXPAYER_FORBIDDEN, '无权代表该纳税人');
    }
    next();
  };
}

/** Nonces must be remembered at least as long as a timestamp can be accepted (twice the skew). */
export function createAuthorityNonceGuard(): NonceReplayGuard {
  return new NonceReplayGuard(2 * AUTHORITY_SKEW_MS);
}
