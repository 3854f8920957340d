import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@lib/common';
import { ConsoleConfig } from '../console.config';
import { ConsoleErrorCode } from '../console-error-codes';
import { CONSOLE_CONFIG } from '../console.tokens';

export const SERVICES = ['reconcile', 'gateway', 'sync', 'notifier'] as const;
export type ServiceName = (typeof SERVICES)[number];

export const isServiceName = (value: string): value is ServiceName =>
  (SERVICES as readonly string[]).includes(value);

/** A service that did not answer in time (504) or could not be reached (503). */
export class UpstreamError extends AppError {
  constructor(
    readonly service: ServiceName,
    readonly timedOut: boolean,
    cause: unknown,
  ) {
    super(
      timedOut ? ConsoleErrorCode.SERVICE_TIMEOUT : ConsoleErrorCode.SERVICE_UNREACHABLE,
      'unavailable',
      timedOut
        ? `The ${service} service did not answer in time`
        : `The ${service} service could not be reached`,
      { cause, retryAfterSeconds: 5 },
    );
  }

  get status(): number {
    return this.timedOut ? 504 : 503;
  }
}

export interface UpstreamRequest {
  method: string;
  /** Path under the service's /v1, with its query string: `findings?limit=10`. */
  path: string;
  token: string;
  body?: string;
  signal?: AbortSignal;
  /**
   * The deadline covers the whole answer (default: the body is read within it too), or only its arrival ('headers':
   * the body is then streamed for as long as it takes, e.g. a download the proxy passes on as it comes).
   */
  deadline?: 'whole' | 'headers';
}

/** Calls the four services' APIs with the person's token and a deadline (CONSOLE_UPSTREAM_TIMEOUT_MS). */
@Injectable()
export class Upstream {
  private readonly bases: Record<ServiceName, string>;

  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {
    const trim = (url: string) => url.replace(/\/+$/, '');
    this.bases = {
      reconcile: trim(config.RECONCILE_URL),
      gateway: trim(config.GATEWAY_URL),
      sync: trim(config.SYNC_URL),
      notifier: trim(config.NOTIFIER_URL),
    };
  }

  async call(service: ServiceName, request: UpstreamRequest): Promise<Response> {
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException('The service did not answer in time', 'TimeoutError')),
      this.config.CONSOLE_UPSTREAM_TIMEOUT_MS,
    );
    timer.unref();
    const signal = request.signal ? AbortSignal.any([deadline.signal, request.signal]) : deadline.signal;
    const headers: Record<string, string> = {
      authorization: `Bearer ${request.token}`,
      accept: 'application/json',
    };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await fetch(`${this.bases[service]}/v1/${request.path}`, {
        method: request.method,
        headers,
        body: request.body,
        signal,
        redirect: 'manual',
      });
      if (request.deadline === 'headers') clearTimeout(timer);
      return response;
    } catch (error) {
      clearTimeout(timer);
      throw new UpstreamError(service, deadline.signal.aborted, error);
    }
  }

  /** A GET whose JSON body is returned when 2xx; any other answer is passed on as the service's error. */
  async getJson<T>(service: ServiceName, path: string, token: string, signal?: AbortSignal): Promise<T> {
    const response = await this.call(service, { method: 'GET', path, token, signal });
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new UpstreamError(service, false, error);
    }
    if (!response.ok) throw new ServiceAnswer(response.status, body);
    return body as T;
  }
}

/** A service's non-2xx answer, given back to the browser as it came (status and body). */
export class ServiceAnswer extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`service answered ${status}`);
  }
}
