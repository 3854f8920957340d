import { AxiosResponse } from 'axios';
import type { Logger } from 'pino';
import { Clock } from '@lib/common';
import { createLogger } from '@lib/observability';
import {
  BAIWANG_ERRORS,
  BAIWANG_GATEWAY_PATH,
  BAIWANG_METHODS,
  BaiwangEnvelope,
  BaiwangTokenRequest,
  BaiwangTokenResponse,
  buildBaiwangRequest,
} from '@lib/protocols';
import { BreakerSettings, isExternalCallError, ResilientHttpClient } from '@lib/resilience';
import { StoredToken, TokenStore } from '../ports/token-store.port';
import { failure, withOutageAsNotSent } from '../shared/call-failures';
import { SharedToken } from '../shared/shared-token';
import { baiwangFailure, TOKEN_REFUSALS } from './baiwang-codes';

export interface BaiwangConnection {
  baseURL: string;
  appKey: string;
  appSecret: string;
  username: string;
  password: string;
  timeoutMs: number;
  /** Renew (refresh grant) this long before the access token expires. */
  tokenRefreshMarginMs: number;
  breaker?: Partial<BreakerSettings>;
  maxSockets?: number;
  /** Breaker and metrics name; `baiwang` by default. */
  name?: string;
  /** Deadline of each one-key device call (抄报, 清卡, monitor); `timeoutMs` when absent. */
  deviceOpsTimeoutMs?: number;
}

/** Per-call options: a deadline replacing the connection's, and our request id sent as Baiwang's `requestId`. */
export interface BaiwangCallOptions {
  timeoutMs?: number;
  requestId?: string;
}

/**
 * Baiwang's `POST /router/rest` gateway: system parameters in the query string, MD5 signature over them
 * and the exact body bytes sent, `{success, response, errorResponse}` envelope. The access token (password
 * grant, then refresh grant before expiry) lives in the shared TokenStore; a call refused for an expired
 * or unknown token gets a new token and is sent once more (it was refused before any processing).
 */
export class BaiwangGateway {
  readonly http: ResilientHttpClient;
  readonly target: string;
  private readonly token: SharedToken;
  private readonly log: Logger;

  constructor(
    private readonly connection: BaiwangConnection,
    tokens: TokenStore,
    private readonly clock: Clock,
    logger?: Logger,
  ) {
    this.target = connection.name ?? 'baiwang';
    this.log = (logger ?? createLogger('providers')).child({ target: this.target });
    this.http = new ResilientHttpClient({
      target: this.target,
      baseURL: connection.baseURL,
      timeoutMs: connection.timeoutMs,
      breaker: connection.breaker,
      maxSockets: connection.maxSockets,
    });
    this.token = new SharedToken(`baiwang:${connection.appKey}`, tokens, clock, connection.tokenRefreshMarginMs, (current) =>
      this.grant(current),
    );
  }

  /** One business call. Resolves with the envelope (success or a business/gateway refusal); throws on transport failures. */
  async call<T>(method: string, body: object, options: BaiwangCallOptions = {}): Promise<BaiwangEnvelope<T>> {
    const text = JSON.stringify(body);
    const token = await this.token.current();
    const first = await this.send<T>(method, text, token.accessToken, options);
    if (first.success || !TOKEN_REFUSALS.has(first.errorResponse?.code ?? '')) return first;
    this.log.info({ code: first.errorResponse?.code, method }, 'token refused by Baiwang; renewing it and sending once more');
    const renewed = await this.token.replace(token.accessToken);
    const second = await this.send<T>(method, text, renewed.accessToken, options);
    if (!second.success && TOKEN_REFUSALS.has(second.errorResponse?.code ?? '')) {
      this.log.error({ code: second.errorResponse?.code, method }, 'Baiwang refused a freshly issued token');
      throw failure(this.target, 'not_sent', 'BAIWANG_TOKEN_REJECTED', 'a freshly issued token was refused');
    }
    return second;
  }

  get available(): boolean {
    return !this.http.isOpen;
  }

  shutdown(): void {
    this.http.shutdown();
  }

  private async send<T>(
    method: string,
    body: string,
    token: string | undefined,
    options: BaiwangCallOptions,
  ): Promise<BaiwangEnvelope<T>> {
    const signed = buildBaiwangRequest({
      appKey: this.connection.appKey,
      appSecret: this.connection.appSecret,
      method,
      token,
      body,
      timestamp: this.clock.now().getTime(),
      requestId: options.requestId,
    });
    try {
      const response = await this.http.request<BaiwangEnvelope<T>>(
        {
          method: 'POST',
          url: `${BAIWANG_GATEWAY_PATH}?${signed.query}`,
          data: signed.body,
          headers: { 'content-type': 'application/json;charset=utf-8' },
          ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
        },
        (answer) => this.checkHealth(answer),
      );
      return response.data;
    } catch (error) {
      throw isExternalCallError(error) ? withOutageAsNotSent(error) : error;
    }
  }

  /** Inside the breaker: a missing envelope or "system busy" counts against Baiwang; other refusals do not. */
  private checkHealth(answer: AxiosResponse<BaiwangEnvelope<unknown>>): void {
    const envelope = answer.data as BaiwangEnvelope<unknown> | undefined;
    if (!envelope || typeof envelope.success !== 'boolean') {
      throw failure(this.target, 'unknown', 'BAIWANG_MALFORMED_ANSWER', 'answer without an envelope');
    }
    if (!envelope.success && envelope.errorResponse?.code === BAIWANG_ERRORS.SYSTEM_ERROR.code) {
      throw baiwangFailure(this.target, envelope.errorResponse);
    }
  }

  /** Refresh grant when a refresh token is at hand, password grant otherwise (or when the refresh token is spent). */
  private async grant(current: StoredToken | undefined): Promise<StoredToken> {
    const base = { client_id: this.connection.appKey, client_secret: this.connection.appSecret };
    if (current?.refreshToken) {
      const refreshed = await this.tokenCall({ ...base, grant_type: 'refresh_token', refresh_token: current.refreshToken });
      if (refreshed.success && refreshed.response) return this.stored(refreshed.response);
      if (refreshed.errorResponse?.code !== BAIWANG_ERRORS.INVALID_REFRESH_TOKEN.code) throw this.grantFailure(refreshed);
      this.log.info('Baiwang refresh token no longer valid; using the password grant');
    }
    const granted = await this.tokenCall({
      ...base,
      grant_type: 'password',
      username: this.connection.username,
      password: this.connection.password,
    });
    if (granted.success && granted.response) return this.stored(granted.response);
    throw this.grantFailure(granted);
  }

  private async tokenCall(request: BaiwangTokenRequest): Promise<BaiwangEnvelope<BaiwangTokenResponse>> {
    const query = new URLSearchParams({
      method: BAIWANG_METHODS.token,
      appKey: this.connection.appKey,
      timestamp: String(this.clock.now().getTime()),
      version: '6.0',
    });
    try {
      const response = await this.http.request<BaiwangEnvelope<BaiwangTokenResponse>>(
        {
          method: 'POST',
          url: `${BAIWANG_GATEWAY_PATH}?${query.toString()}`,
          data: JSON.stringify(request),
          headers: { 'content-type': 'application/json;charset=utf-8' },
        },
        (answer) => this.checkHealth(answer),
      );
      return response.data;
    } catch (error) {
      throw isExternalCallError(error) ? withOutageAsNotSent(error) : error;
    }
  }

  private grantFailure(envelope: BaiwangEnvelope<unknown>) {
    const error = baiwangFailure(this.target, envelope.errorResponse);
    this.log.error({ code: error.code }, 'Baiwang refused the token grant: check BAIWANG_APP_KEY / _APP_SECRET / _USERNAME / _PASSWORD');
    return failure(this.target, 'not_sent', error.code, error.message);
  }

  private stored(token: BaiwangTokenResponse): StoredToken {
    const now = this.clock.now().getTime();
    return {
      accessToken: token.access_token,
      refreshToken: token.refresh_token,
      expiresAt: new Date(now + token.expires_in * 1000),
    };
  }
}
