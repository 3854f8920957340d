import type { IncomingMessage } from 'node:http';
import express, { RequestHandler } from 'express';

/** A body limit for the routes under one path ('/v1/invoices' covers '/v1/invoices' and '/v1/invoices/...'). */
export interface RouteBodyLimit {
  path: string;
  /** express syntax, e.g. '64kb' or '4mb'. */
  limit: string;
}

export interface JsonBodyOptions {
  /** The limit of every route no RouteBodyLimit names. */
  limit: string;
  routes?: readonly RouteBodyLimit[];
  /** Keep the exact body bytes as req.rawBody (request signatures are computed over them). */
  rawBody?: boolean;
}

/**
 * One JSON parser per limit, chosen by path before anything is read, so a route that takes small bodies never
 * buffers a large one. Malformed JSON and oversized bodies fail with body-parser's errors (400 / 413 through the
 * exception filter), as with a single parser.
 */
export function jsonBodyParser(options: JsonBodyOptions): RequestHandler {
  const parser = (limit: string) =>
    express.json({ limit, strict: true, verify: options.rawBody ? keepRawBody : undefined });
  const routes = (options.routes ?? []).map((route) => ({
    path: route.path.toLowerCase(),
    parse: parser(route.limit),
  }));
  const fallback = parser(options.limit);
  return (req, res, next) => {
    // express matches routes case-insensitively: so does this, or '/V1/...' would get another limit
    const path = req.path.toLowerCase();
    const route = routes.find((r) => path === r.path || path.startsWith(`${r.path}/`));
    return (route?.parse ?? fallback)(req, res, next);
  };
}

function keepRawBody(req: IncomingMessage & { rawBody?: Buffer }, _res: unknown, buffer: Buffer): void {
  req.rawBody = buffer;
}
