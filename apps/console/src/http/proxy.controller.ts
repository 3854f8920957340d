import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { All, Controller, Logger, NotFoundException, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError } from '@lib/common';
import { ConsoleErrorsFilter } from './console-errors.filter';
import { SessionGate } from './session-gate';
import { SessionService } from '../session/session.service';
import { isServiceName, Upstream } from '../api/upstream';
import { ConsoleErrorCode } from '../console-error-codes';

/** Headers of a service's answer worth passing on. */
const PASSED_HEADERS = [
  'content-type',
  'retry-after',
  'content-disposition',
  'cache-control',
  // a download's digest (a reset's backup.csv carries its SHA-256)
  'repr-digest',
];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * `/api/<service>/<path>` → the service's `/v1/<path>` with the person's access token. The service decides what
 * the person may see and do; its status, body and the headers above come back unchanged. The body is streamed as it
 * arrives (a download such as a reset's backup.csv is never held whole in memory): the deadline covers the service's
 * headers, the body then takes as long as it takes, and a person who goes away stops the call.
 */
@ApiExcludeController()
@UseFilters(ConsoleErrorsFilter)
@Controller('api')
export class ProxyController {
  private readonly logger = new Logger('Proxy');

  constructor(
    private readonly gate: SessionGate,
    private readonly sessions: SessionService,
    private readonly upstream: Upstream,
  ) {}

  @All(':service/*path')
  async forward(@Req() req: Request, @Res() res: Response): Promise<void> {
    const service = req.params.service as string;
    if (!isServiceName(service)) throw new NotFoundException(`No service named ${service}`);
    const session = await this.gate.require(req);
    this.gate.checkCsrf(req, session);
    const path = upstreamPath(req.originalUrl, service);
    const token = await this.sessions.accessToken(session);
    const method = req.method.toUpperCase();
    const hasBody = BODY_METHODS.has(method) && req.body !== undefined && typeof req.body === 'object';
    // The person may have left while the session was read (the page moved on): then 'close' has already been emitted.
    const abort = new AbortController();
    res.once('close', () => abort.abort());
    if (req.socket.destroyed) abort.abort();
    let answer: globalThis.Response;
    try {
      answer = await this.upstream.call(service, {
        method,
        path,
        token,
        body: hasBody ? JSON.stringify(req.body) : undefined,
        signal: abort.signal,
        deadline: 'headers',
      });
    } catch (error) {
      // Nobody is left to answer: a call the person's leaving cut short is neither an outage nor worth a warning.
      if (abort.signal.aborted) {
        this.logger.debug({ service, path: req.path }, 'the person left before the service answered');
        res.destroy();
        return;
      }
      throw error;
    }
    res.status(answer.status);
    for (const name of PASSED_HEADERS) {
      const value = answer.headers.get(name);
      if (value !== null) res.setHeader(name, value);
    }
    if (answer.body === null) {
      res.end();
      return;
    }
    try {
      await pipeline(Readable.fromWeb(answer.body as WebReadableStream<Uint8Array>), res);
    } catch (error) {
      // The headers are out: a body cut short (the service failed, or the person left) can only end the response.
      if (!abort.signal.aborted)
        this.logger.warn({ service, err: error }, "the service's answer broke off while it was passed on");
      res.destroy();
    }
  }
}

/**
 * The path and query after `/api/<service>/`, as the browser sent them (still percent-encoded), refused when a
 * segment would climb out of the service's /v1 (`..`, `.`, or an encoded slash or backslash).
 */
export function upstreamPath(originalUrl: string, service: string): string {
  const rest = originalUrl.slice(`/api/${service}/`.length);
  const queryAt = rest.indexOf('?');
  const path = queryAt === -1 ? rest : rest.slice(0, queryAt);
  const query = queryAt === -1 ? '' : rest.slice(queryAt);
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new AppError(ConsoleErrorCode.INVALID_PATH, 'validation', 'The path is not valid');
    }
    if (decoded === '.' || decoded === '..' || /[/\\]/.test(decoded))
      throw new AppError(ConsoleErrorCode.INVALID_PATH, 'validation', 'The path is not valid');
  }
  return `${path}${query}`;
}
