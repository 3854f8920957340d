import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';

/** Keeps the exact body bytes (signatures are computed over them) as a Buffer in `req.body`. */
export const rawBody: RequestHandler = express.raw({ type: () => true, limit: '50mb' });

export function bodyBytes(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

export function bodyText(req: Request): string {
  return bodyBytes(req).toString('utf8');
}

export type JsonResult = { ok: true; value: unknown } | { ok: false; message: string };

export function parseJson(text: string): JsonResult {
  if (text.trim() === '') return { ok: false, message: 'empty body' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error: unknown) {
    return { ok: false, message: error instanceof Error ? error.message : 'malformed JSON' };
  }
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** One debug line per answered request; errors are logged by the error handler. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.debug(
        { method: req.method, path: req.path, status: res.statusCode, ms, op: res.locals.operation },
        'request',
      );
    });
    next();
  };
}

/** Last-resort handler: a body-parser error (too large) or a bug answers in the target's own envelope. */
export function errorHandler(
  logger: Logger,
  render: (res: Response, status: number, message: string) => void,
): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    const status =
      typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 500;
    if (status >= 500) logger.error({ err: error }, 'unhandled error');
    if (res.headersSent) return void res.end();
    render(res, status, error instanceof Error ? error.message : 'internal error');
  };
}

let requestSequence = 0;

export function nextRequestId(prefix: string): string {
  requestSequence += 1;
  return `${prefix}${Date.now().toString(36)}${requestSequence.toString(36).padStart(6, '0')}`;
}

/** A route parameter as one string (Express 5 types wildcard params as arrays). */
export function param(req: Request, name: string): string {
  const value = (req.params as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value.join('/') : (value ?? '');
}
