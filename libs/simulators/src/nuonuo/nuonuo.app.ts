import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import {
  NUONUO_CODES,
  NUONUO_METHODS,
  NUONUO_NONCE_PATTERN,
  NUONUO_SENID_PATTERN,
  NUONUO_SERVICES_PATH,
  NUONUO_TOKEN_PATH,
  verifyNuonuoSign,
} from '@lib/protocols';
import { countDuplicate, type SandboxCounters } from '../core/counters';
import { asRecord, bodyText, errorHandler, parseJson, rawBody, requestLog } from '../core/http.util';
import type { SimClock } from '../core/sim-clock';
import { createFaultGate, loseResponse, type GateRenderers } from '../faults/fault-gate.middleware';
import type { FaultInjector } from '../faults/fault-injector';
import type { NuonuoOrdersService, NuonuoOutcome } from './nuonuo-orders.service';
import type { NuonuoApp, NuonuoTokenStore } from './nuonuo-token.store';

export interface NuonuoAppDeps {
  apps: () => NuonuoApp[];
  tokens: NuonuoTokenStore;
  orders: NuonuoOrdersService;
  faults: FaultInjector;
  counters: SandboxCounters;
  clock: SimClock;
  timestampWindowMs: number;
  logger: Logger;
}

function envelope(res: Response, code: string, describe: string, result: unknown = null, status = 200): void {
  res.status(status).json({ code, describe, result });
}

const renderers: GateRenderers = {
  outage: (res, retryAfter) => {
    res.setHeader('Retry-After', String(retryAfter));
    envelope(res, NUONUO_CODES.SYSTEM_ERROR, '服务暂不可用', null, 503);
  },
  rateLimited: (res, retryAfter) => {
    res.setHeader('Retry-After', String(retryAfter));
    envelope(res, NUONUO_CODES.SERIAL_DAILY_LIMIT, '请求过于频繁，请稍后再试');
  },
  error: (res, status) => envelope(res, NUONUO_CODES.SYSTEM_ERROR, '系统异常', null, status),
};

function first(value: unknown): string {
  return typeof value === 'string'
    ? value
    : Array.isArray(value) && typeof value[0] === 'string'
      ? value[0]
      : '';
}

/** Nuonuo-compatible open platform: `POST /accessToken` and `POST /open/v1/services`. */
export function createNuonuoApp(deps: NuonuoAppDeps): Express {
  const { counters, clock, tokens } = deps;
  const stats = counters.of('nuonuo');
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(deps.logger));
  const gate = createFaultGate('nuonuo', deps.faults, counters, renderers);

  app.post(NUONUO_TOKEN_PATH, gate('token'), rawBody, (req, res) => {
    stats.tokenRequests += 1;
    const text = bodyText(req);
    const json = parseJson(text);
    const form = json.ok ? asRecord(json.value) : Object.fromEntries(new URLSearchParams(text));
    const tokenError = (error: string, description: string): void => {
      stats.authFailures += 1;
      res.status(400).json({ error, error_description: description });
    };
    const appConfig = deps
      .apps()
      .find((a) => a.appKey === form.client_id && a.appSecret === form.client_secret);
    if (!appConfig) return tokenError(NUONUO_CODES.TOKEN_BAD_CLIENT, 'client_id或client_secret错误');
    if (form.grant_type !== 'client_credentials')
      return tokenError(NUONUO_CODES.TOKEN_BAD_GRANT, 'grant_type须为client_credentials');
    const issued = tokens.issue(appConfig.appKey);
    if (!issued)
      return tokenError(NUONUO_CODES.TOKEN_QUOTA, '获取accessToken次数已达上限，请使用缓存的token');
    res.status(200).json({ access_token: issued.token, expires_in: issued.expiresInSeconds });
  });

  app.post(
    NUONUO_SERVICES_PATH,
    gate((req) => req.header('method') ?? 'unknown'),
    rawBody,
    (req, res) => {
      const authFail = (code: string, describe: string, signature = false): void => {
        if (signature) stats.signatureFailures += 1;
        else stats.authFailures += 1;
        envelope(res, code, describe);
      };
      const [senid, nonce, timestamp, appKey] = ['senid', 'nonce', 'timestamp', 'appkey'].map((k) =>
        first(req.query[k]),
      );
      if (!NUONUO_SENID_PATTERN.test(senid))
        return authFail(NUONUO_CODES.BAD_SYSTEM_PARAMS, 'senid须为32位字母数字');
      if (!NUONUO_NONCE_PATTERN.test(nonce))
        return authFail(NUONUO_CODES.BAD_SYSTEM_PARAMS, 'nonce须为8位数字');
      if (!/^\d{10}$/.test(timestamp))
        return authFail(NUONUO_CODES.BAD_SYSTEM_PARAMS, 'timestamp须为秒级时间戳');
      const appConfig = deps.apps().find((a) => a.appKey === appKey);
      if (!appConfig) return authFail(NUONUO_CODES.BAD_SYSTEM_PARAMS, 'appkey不存在');
      if (Math.abs(clock.realNow() / 1000 - Number(timestamp)) > deps.timestampWindowMs / 1000) {
        return authFail(NUONUO_CODES.TIMESTAMP_EXPIRED, '时间戳已过期');
      }
      const body = bodyText(req);
      const signature = req.header('X-Nuonuo-Sign') ?? '';
      if (!verifyNuonuoSign(appConfig.appSecret, { appKey, senid, nonce, timestamp, body }, signature)) {
        return authFail(NUONUO_CODES.INVALID_SIGNATURE, '签名验证失败', true);
      }
      const check = tokens.check(appKey, req.header('accessToken') ?? '');
      if (check !== 'ok') {
        return authFail(
          check === 'expired' ? NUONUO_CODES.TOKEN_EXPIRED : NUONUO_CODES.INVALID_TOKEN,
          `accessToken ${check}`,
        );
      }
      const userTax = req.header('userTax') ?? '';
      if (!userTax || (appConfig.taxNos !== '*' && !appConfig.taxNos.includes(userTax))) {
        return authFail(NUONUO_CODES.TAXPAYER_FORBIDDEN, 'userTax未授权');
      }
      const parsed = parseJson(body);
      if (!parsed.ok) return envelope(res, NUONUO_CODES.BAD_FIELD, `请求体不是合法JSON: ${parsed.message}`);
      handle(req, res, userTax, parsed.value);
    },
  );

  function handle(req: Request, res: Response, userTax: string, body: unknown): void {
    const method = req.header('method') ?? '';
    let outcome: NuonuoOutcome<unknown>;
    if (method === NUONUO_METHODS.submit) outcome = deps.orders.submit(method, userTax, body);
    else if (method === NUONUO_METHODS.query) outcome = deps.orders.query(userTax, body);
    else return envelope(res, NUONUO_CODES.UNKNOWN_METHOD, `不支持的method: ${method}`);
    if (method === NUONUO_METHODS.submit) {
      if (outcome.code === NUONUO_CODES.DUPLICATE_SERIAL) countDuplicate(stats, orderNoOf(body));
      else if (outcome.accepted) stats.accepted += 1;
      else stats.rejected += 1;
    }
    if (
      outcome.accepted &&
      deps.faults.responseLost('nuonuo', method, outcome.invoiceKey ?? '', orderNoOf(body))
    ) {
      stats.faults.responsesLost += 1;
      return loseResponse(req, res);
    }
    envelope(res, outcome.code, outcome.describe, outcome.result);
  }

  app.use((_req, res) => envelope(res, NUONUO_CODES.UNKNOWN_METHOD, 'no such endpoint', null, 404));
  app.use(
    errorHandler(deps.logger, (res, status, message) =>
      envelope(res, NUONUO_CODES.SYSTEM_ERROR, message, null, status),
    ),
  );
  return app;
}

function orderNoOf(body: unknown): string {
  return String(asRecord(asRecord(body).order).orderNo ?? '');
}
