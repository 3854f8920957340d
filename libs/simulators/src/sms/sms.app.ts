import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { SMS_CODES } from '@lib/protocols';
import type { SandboxCounters } from '../core/counters';
import { bodyText, errorHandler, nextRequestId, rawBody, requestLog } from '../core/http.util';
import { createFaultGate, type GateRenderers } from '../faults/fault-gate.middleware';
import type { FaultInjector } from '../faults/fault-injector';
import type { SmsGatewayService } from './sms-gateway.service';

function answer(res: Response, status: number, code: string, message: string, bizId?: string): void {
  res.status(status).json({ Code: code, Message: message, RequestId: nextRequestId('SMS'), BizId: bizId });
}

const renderers: GateRenderers = {
  outage: (res, retryAfter) => {
    res.setHeader('Retry-After', String(retryAfter));
    answer(
      res,
      503,
      SMS_CODES.SERVICE_UNAVAILABLE,
      'The request has failed due to a temporary failure of the server.',
    );
  },
  rateLimited: (res, retryAfter) => {
    res.setHeader('Retry-After', String(retryAfter));
    answer(res, 429, SMS_CODES.THROTTLED, 'Request was denied due to user flow control.');
  },
  error: (res, status) =>
    answer(res, status, 'InternalError', 'The request processing has failed due to some unknown error.'),
};

function params(req: Request): Record<string, string> {
  const source =
    req.method === 'GET'
      ? new URLSearchParams(req.originalUrl.split('?')[1] ?? '')
      : new URLSearchParams(bodyText(req));
  return Object.fromEntries(source);
}

/** Aliyun-style SMS API: `POST /` (form-encoded) or `GET /?…`, Action=SendSms. */
export function createSmsApp(deps: {
  service: SmsGatewayService;
  faults: FaultInjector;
  counters: SandboxCounters;
  logger: Logger;
}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(deps.logger));
  const gate = createFaultGate('sms', deps.faults, deps.counters, renderers);
  const handler = (req: Request, res: Response): void => {
    const result = deps.service.send(req.method, params(req));
    answer(res, result.httpStatus, result.code, result.message, result.bizId);
  };
  app.post('/', gate('SendSms'), rawBody, handler);
  app.get('/', gate('SendSms'), handler);
  app.use((_req, res) => answer(res, 404, 'InvalidAction.NotFound', 'Specified api is not found.'));
  app.use(errorHandler(deps.logger, (res, status, message) => answer(res, status, 'InternalError', message)));
  return app;
}
