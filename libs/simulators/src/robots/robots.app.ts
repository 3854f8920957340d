import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { SandboxCounters } from '../core/counters';
import { bodyBytes, errorHandler, param, rawBody, requestLog } from '../core/http.util';
import { createFaultGate, type GateRenderers } from '../faults/fault-gate.middleware';
import type { FaultInjector } from '../faults/fault-injector';
import type { DingtalkRobotService } from './dingtalk-robot.service';
import type { FeishuRobotService } from './feishu-robot.service';
import type { RobotReply } from './robot-rate-window';
import type { WecomRobotService } from './wecom-robot.service';

/**
 * Injected faults look the same on every robot: an outage is a bare 503, an error a bare 5xx (neither carries the
 * platform's envelope, as a load balancer in front would answer), a rate limit the platform's own code.
 */
function renderers(rateLimited: RobotReply): GateRenderers {
  return {
    outage: (res, retryAfter) => {
      res.setHeader('Retry-After', String(retryAfter));
      res.status(503).type('text/plain').send('Service Unavailable');
    },
    rateLimited: (res) => void res.status(rateLimited.httpStatus).json(rateLimited.body),
    error: (res, status) => void res.status(status).type('text/plain').send('Internal Server Error'),
  };
}

function parsed(req: Request): { body: unknown; bytes: number } {
  const bytes = bodyBytes(req);
  try {
    return { body: JSON.parse(bytes.toString('utf8')) as unknown, bytes: bytes.length };
  } catch {
    return { body: null, bytes: bytes.length };
  }
}

const send = (res: Response, reply: RobotReply): void => void res.status(reply.httpStatus).json(reply.body);
const query = (req: Request, name: string): string | undefined =>
  typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined;

/**
 * The three group-robot webhooks on one app (their paths do not overlap): WeCom `POST /cgi-bin/webhook/send`,
 * DingTalk `POST /robot/send`, Feishu `POST /open-apis/bot/v2/hook/{token}`. Each is its own fault target.
 */
export function createRobotsApp(deps: {
  wecom: WecomRobotService;
  dingtalk: DingtalkRobotService;
  feishu: FeishuRobotService;
  faults: FaultInjector;
  counters: SandboxCounters;
  logger: Logger;
}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(deps.logger));
  const gate = (target: 'wecom' | 'dingtalk' | 'feishu', limited: RobotReply) =>
    createFaultGate(target, deps.faults, deps.counters, renderers(limited))('send');
  app.post(
    '/cgi-bin/webhook/send',
    gate('wecom', { httpStatus: 200, body: { errcode: 45009, errmsg: 'api freq out of limit' } }),
    rawBody,
    (req, res) => {
      const { body, bytes } = parsed(req);
      send(res, deps.wecom.send(query(req, 'key'), body, bytes));
    },
  );
  app.post(
    '/robot/send',
    gate('dingtalk', { httpStatus: 200, body: { errcode: 130101, errmsg: 'send too fast' } }),
    rawBody,
    (req, res) => {
      const { body, bytes } = parsed(req);
      const q = {
        access_token: query(req, 'access_token'),
        timestamp: query(req, 'timestamp'),
        sign: query(req, 'sign'),
      };
      send(res, deps.dingtalk.send(q, body, bytes));
    },
  );
  app.post(
    '/open-apis/bot/v2/hook/:token',
    gate('feishu', { httpStatus: 200, body: { code: 11232, msg: 'frequency limited', data: {} } }),
    rawBody,
    (req, res) => {
      const { body, bytes } = parsed(req);
      send(res, deps.feishu.send(param(req, 'token'), body, bytes));
    },
  );
  app.use((_req, res) => void res.status(404).json({ errcode: 404, errmsg: 'no such robot api' }));
  app.use(
    errorHandler(
      deps.logger,
      (res, status, message) => void res.status(status).json({ errcode: -1, errmsg: message }),
    ),
  );
  return app;
}
