import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { counter, histogram } from './registry';

const requests = counter('http_requests_total', 'HTTP requests by route, method and status', [
  'method',
  'route',
  'status',
]);
const duration = histogram('http_request_duration_seconds', 'HTTP request latency', ['method', 'route']);

/** Counts requests by the matched route pattern (never the raw URL, which would explode cardinality). */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = routeOf(req);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      duration.observe({ method: req.method, route }, seconds);
    });
    next();
  }
}

function routeOf(req: Request): string {
  const route = (req as Request & { route?: { path?: string } }).route?.path;
  if (route) return `${req.baseUrl ?? ''}${route}`;
  return 'unmatched';
}
