import { AxiosResponse } from 'axios';
import { Clock } from '@lib/common';
import { AUTHORITY_CODES, AuthorityEnvelope, signAuthorityRequest } from '@lib/protocols';
import { BreakerSettings, isExternalCallError, ResilientHttpClient } from '@lib/resilience';
import { responseBodyOf, withOutageAsNotSent } from '../shared/call-failures';
import { authorityFailure } from './authority-codes';

export interface AuthorityConnection {
  baseURL: string;
  appId: string;
  appSecret: string;
  timeoutMs: number;
  breaker?: Partial<BreakerSettings>;
  maxSockets?: number;
  /** Breaker and metrics name; `authority` by default (a reader may use its own, e.g. `authority-records`). */
  name?: string;
}

/** HTTP statuses the authority answers with its envelope for a request it understood (read by the caller). */
const ENVELOPE_STATUSES = new Set([200, 201, 400, 401, 403, 404]);

/**
 * Signed calls to the authority's direct-connection API: every request carries X-App-Id, X-Timestamp,
 * X-Nonce and X-Signature over the exact path, query and body bytes sent. Answers its envelope; 429 and
 * 5xx become ExternalCallErrors (a 503 with Retry-After, the authority's "unavailable", as not sent).
 */
export class AuthorityClient {
  readonly http: ResilientHttpClient;
  readonly target: string;

  constructor(
    private readonly connection: AuthorityConnection,
    private readonly clock: Clock,
  ) {
    this.target = connection.name ?? 'authority';
    this.http = new ResilientHttpClient({
      target: this.target,
      baseURL: connection.baseURL,
      timeoutMs: connection.timeoutMs,
      breaker: connection.breaker,
      maxSockets: connection.maxSockets,
    });
  }

  async call<T>(method: 'GET' | 'POST', pathAndQuery: string, body?: unknown): Promise<AuthorityEnvelope<T>> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers = signAuthorityRequest({
      appId: this.connection.appId,
      appSecret: this.connection.appSecret,
      method,
      pathAndQuery,
      body: text,
      timestamp: this.clock.now().getTime(),
    });
    try {
      const response = await this.http.request<AuthorityEnvelope<T>>(
        {
          method,
          url: pathAndQuery,
          data: body === undefined ? undefined : text,
          headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          validateStatus: (status) => ENVELOPE_STATUSES.has(status),
        },
        (answer) => this.checkHealth(answer),
      );
      return response.data;
    } catch (error) {
      throw this.reclassify(error);
    }
  }

  get available(): boolean {
    return !this.http.isOpen;
  }

  shutdown(): void {
    this.http.shutdown();
  }

  /** Inside the breaker: an envelope without a code, or a 9xxx code on a 2xx, means the authority is unwell. */
  private checkHealth(answer: AxiosResponse<AuthorityEnvelope<unknown>>): void {
    const envelope = answer.data as AuthorityEnvelope<unknown> | undefined;
    if (!envelope || typeof envelope.code !== 'string') {
      throw authorityFailure(this.target, { code: 'MALFORMED', message: 'answer without an envelope' }, answer.status);
    }
    if (envelope.code.startsWith('9')) throw authorityFailure(this.target, envelope, answer.status);
  }

  /** A 429/5xx carrying the authority's envelope is classified by its code (9001/9002 not sent, 9999 unknown). */
  private reclassify(error: unknown): unknown {
    if (!isExternalCallError(error) || error.code === 'BREAKER_OPEN') return error;
    const envelope = responseBodyOf(error) as AuthorityEnvelope<unknown> | undefined;
    if (envelope && typeof envelope.code === 'string' && envelope.code !== AUTHORITY_CODES.OK && error.status !== undefined) {
      return authorityFailure(this.target, envelope, error.status, error.retryAfterMs);
    }
    return withOutageAsNotSent(error);
  }
}
