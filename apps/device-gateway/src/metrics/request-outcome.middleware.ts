import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { GatewayMetrics } from './gateway-metrics';

const OUTCOME_BY_STATUS: Record<number, string> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  415: 'invalid',
  429: 'rate_limited',
  503: 'unavailable',
};

/** Counts gateway requests by operation and outcome (a handler may name a finer outcome in res.locals.outcome). */
@Injectable()
export class RequestOutcomeMiddleware implements NestMiddleware {
  constructor(private readonly metrics: GatewayMetrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const operation = operationOf(req.originalUrl);
    if (operation) {
      res.on('finish', () => {
        const status = res.statusCode;
        const named = typeof res.locals.outcome === 'string' ? res.locals.outcome : undefined;
        const outcome =
          named ?? OUTCOME_BY_STATUS[status] ?? (status >= 500 ? 'error' : status >= 400 ? 'invalid' : 'ok');
        this.metrics.request(operation, outcome);
      });
    }
    next();
  }
}

function operationOf(url: string): string | undefined {
  const path = url.split('?', 1)[0];
  if (path === '/v1/invoices') return 'ingest_invoices';
  const device = /^\/v1\/devices\/[^/]+\/(clear-card|reports|monitor)$/.exec(path);
  if (device) return device[1].replace('-', '_');
  if (path.startsWith('/v1/admin/')) return 'admin';
  return undefined;
}
