import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { BAIWANG_ERRORS, BAIWANG_GATEWAY_PATH, BAIWANG_METHODS, verifyBaiwangSign } from '@lib/protocols';
import type { SandboxCounters } from '../core/counters';
import { asRecord, bodyText, errorHandler, parseJson, rawBody, requestLog } from '../core/http.util';
import type { SimClock } from '../core/sim-clock';
import type { AuthoritySimulator } from '../authority/authority.simulator';
import { createFaultGate, loseResponse } from '../faults/fault-gate.middleware';
import type { FaultInjector } from '../faults/fault-injector';
import { baiwangRenderers, renderBaiwangError, sendBaiwangError, sendBaiwangOk } from './baiwang-http';
import type { BaiwangDevicesService } from './baiwang-devices.service';
import { baiwangValidate } from './baiwang-methods';
import type { BaiwangApp, BaiwangTokenStore } from './baiwang-token.store';
import type { BaiwangOutcome, BaiwangUploadsService } from './baiwang-uploads.service';

export interface BaiwangAppDeps {
  apps: () => BaiwangApp[];
  tokens: BaiwangTokenStore;
  uploads: BaiwangUploadsService;
  devices: BaiwangDevicesService;
  /** Calls per method that passed the gateway's checks (signature, token, taxpayer). */
  methodCalls: Map<string, number>;
  authority: AuthoritySimulator;
  faults: FaultInjector;
  counters: SandboxCounters;
  clock: SimClock;
  /** Accepted distance between the request timestamp and the real clock. */
  timestampWindowMs: number;
  logger: Logger;
}

const REQUIRED = ['method', 'appKey', 'token', 'timestamp', 'sign'] as const;

function queryParams(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.query)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') out[key] = first;
  }
  return out;
}

/** Baiwang-compatible gateway: `POST /router/rest` with system parameters in the query string. */
export function createBaiwangApp(deps: BaiwangAppDeps): Express {
  const { counters, clock } = deps;
  const stats = counters.of('baiwang');
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(deps.logger));
  const gate = createFaultGate('baiwang', deps.faults, counters, baiwangRenderers);
  const operation = (req: Request): string => String(queryParams(req).method ?? 'unknown');

  app.post(BAIWANG_GATEWAY_PATH, gate(operation), rawBody, (req, res) => {
    const params = queryParams(req);
    const text = bodyText(req);
    if (params.method === BAIWANG_METHODS.token) return token(params, text, res);
    const missing = REQUIRED.filter((name) => !params[name]);
    if (missing.length > 0)
      return sendBaiwangError(res, BAIWANG_ERRORS.MISSING_PARAMETER, { subMsg: missing.join(',') });
    const appConfig = deps.apps().find((a) => a.appKey === params.appKey);
    if (!appConfig) return fail(res, 'auth', BAIWANG_ERRORS.INVALID_APP_KEY);
    const timestamp = Number(params.timestamp);
    if (!Number.isFinite(timestamp) || Math.abs(clock.realNow() - timestamp) > deps.timestampWindowMs) {
      return fail(res, 'auth', BAIWANG_ERRORS.INVALID_TIMESTAMP);
    }
    if (!verifyBaiwangSign(appConfig.appSecret, params, text))
      return fail(res, 'sign', BAIWANG_ERRORS.INVALID_SIGNATURE);
    const check = deps.tokens.check(appConfig.appKey, params.token);
    if (check !== 'ok')
      return fail(
        res,
        'auth',
        check === 'expired' ? BAIWANG_ERRORS.TOKEN_EXPIRED : BAIWANG_ERRORS.INVALID_TOKEN,
      );
    const parsed = parseJson(text);
    if (!parsed.ok) return sendBaiwangError(res, BAIWANG_ERRORS.INVALID_BODY, { subMsg: parsed.message });
    const taxNo = String(asRecord(parsed.value).taxNo ?? '');
    if (appConfig.taxNos !== '*' && !appConfig.taxNos.includes(taxNo)) {
      return fail(res, 'auth', BAIWANG_ERRORS.TAXPAYER_FORBIDDEN);
    }
    deps.methodCalls.set(params.method, (deps.methodCalls.get(params.method) ?? 0) + 1);
    const outcome = dispatch(params.method, parsed.value);
    if (!outcome) return sendBaiwangError(res, BAIWANG_ERRORS.UNKNOWN_METHOD, { subMsg: params.method });
    if (!outcome.ok) {
      if (params.method === BAIWANG_METHODS.upload) stats.rejected += 1;
      return sendBaiwangError(res, outcome.error, outcome.sub);
    }
    if (outcome.accepted) {
      stats.accepted += 1;
      const key = (outcome.response as { invoiceKey: string }).invoiceKey;
      if (deps.faults.responseLost('baiwang', params.method, key)) {
        stats.faults.responsesLost += 1;
        return loseResponse(req, res);
      }
    }
    sendBaiwangOk(res, outcome.response);
  });

  function dispatch(method: string, body: unknown): BaiwangOutcome<unknown> | null {
    switch (method) {
      case BAIWANG_METHODS.upload:
        return deps.uploads.upload(method, body);
      case BAIWANG_METHODS.query:
        return deps.uploads.query(body);
      case BAIWANG_METHODS.validate:
        return baiwangValidate(deps.authority, body);
      case BAIWANG_METHODS.report:
        return deps.devices.report(body);
      case BAIWANG_METHODS.clearCard:
        return deps.devices.clearCard(body);
      case BAIWANG_METHODS.monitor:
        return deps.devices.monitor(body);
      default:
        return null;
    }
  }

  function fail(
    res: Response,
    kind: 'auth' | 'sign',
    error: (typeof BAIWANG_ERRORS)[keyof typeof BAIWANG_ERRORS],
  ): void {
    if (kind === 'sign') stats.signatureFailures += 1;
    else stats.authFailures += 1;
    sendBaiwangError(res, error);
  }

  /** `baiwang.oauth.token`: password grant (client_id = appKey) or refresh_token grant; params in body or query. */
  function token(params: Record<string, string>, text: string, res: Response): void {
    stats.tokenRequests += 1;
    const parsed = parseJson(text);
    const body = { ...params, ...(parsed.ok ? (asRecord(parsed.value) as Record<string, string>) : {}) };
    const appConfig = deps
      .apps()
      .find((a) => a.appKey === body.client_id && a.appSecret === body.client_secret);
    if (!appConfig || (params.appKey && params.appKey !== body.client_id)) {
      return fail(res, 'auth', BAIWANG_ERRORS.OAUTH_FAILED);
    }
    if (body.grant_type === 'password') {
      if (body.username !== appConfig.username || body.password !== appConfig.password) {
        return fail(res, 'auth', BAIWANG_ERRORS.OAUTH_FAILED);
      }
      return sendBaiwangOk(res, deps.tokens.issue(appConfig.appKey));
    }
    if (body.grant_type === 'refresh_token') {
      const rotated = deps.tokens.rotate(appConfig.appKey, String(body.refresh_token ?? ''));
      return rotated ? sendBaiwangOk(res, rotated) : fail(res, 'auth', BAIWANG_ERRORS.INVALID_REFRESH_TOKEN);
    }
    sendBaiwangError(res, BAIWANG_ERRORS.OAUTH_FAILED, {
      subMsg: 'grant_type must be password or refresh_token',
    });
  }

  app.use((_req, res) =>
    sendBaiwangError(res, BAIWANG_ERRORS.UNKNOWN_METHOD, { subMsg: 'use POST /router/rest' }, 404),
  );
  app.use(errorHandler(deps.logger, renderBaiwangError));
  return app;
}
