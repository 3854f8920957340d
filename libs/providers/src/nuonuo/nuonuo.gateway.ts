import { AxiosResponse } from 'axios';
import type { Logger } from 'pino';
import { Clock } from '@lib/common';
import { createLogger } from '@lib/observability';
import { buildNuonuoRequest, NUONUO_CODES, NUONUO_TOKEN_PATH, NuonuoEnvelope, NuonuoTokenError, NuonuoTokenResponse } from '@lib/protocols';
import { BreakerSettings, isExternalCallError, parseRetryAfter, ResilientHttpClient } from '@lib/resilience';
import { StoredToken, TokenStore } from '../ports/token-store.port';
import { failure, withOutageAsNotSent } from '../shared/call-failures';
import { SharedToken } from '../shared/shared-token';
import { nuonuoCode, nuonuoFailure, TOKEN_REFUSALS } from './nuonuo-codes';

export interface NuonuoConnection {
  baseURL: string;
  appKey: string;
  appSecret: string;
  timeoutMs: number;
  /** Renew this long before the token expires (tokens live 24 h; at most 50 token requests per 30 days). */
  tokenRefreshMarginMs: number;
  /** After the token quota answer (070306): ask no more tokens, and retry deliveries, after this long. */
  tokenQuotaRetryMs: number;
  breaker?: Partial<BreakerSettings>;
  maxSockets?: number;
  name?: string;
}

/** An envelope with the Retry-After the answer carried, if any. */
export type NuonuoAnswer<T> = NuonuoEnvelope<T> & { retryAfterMs?: number };

/**
 * Nuonuo's open platform: `POST /open/v1/services` signed with HMAC-SHA1 over appKey, a fresh 32-char senid,
 * a fresh 8-digit nonce, the timestamp and the exact body. The token (`POST /accessToken`,
 * client_credentials) is shared by every replica through the TokenStore and asked for only when the stored
 * one is about to expire or was refused; after a quota answer no token is asked for until tokenQuotaRetryMs.
 */
export class NuonuoGateway {
  readonly http: ResilientHttpClient;
  readonly target: string;
  private readonly token: SharedToken;
  private readonly log: Logger;
  private quotaBlockedUntil = 0;

  constructor(
    private readonly connection: NuonuoConnection,
    tokens: TokenStore,
    private readonly clock: Clock,
    logger?: Logger,
  ) {
    this.target = connection.name ?? 'nuonuo';
    this.log = (logger ?? createLogger('providers')).child({ target: this.target });
    this.http = new ResilientHttpClient({
      target: this.target,
      baseURL: connection.baseURL,
      timeoutMs: connection.timeoutMs,
      breaker: connection.breaker,
      maxSockets: connection.maxSockets,
    });
    this.token = new SharedToken(`nuonuo:${connection.appKey}`, tokens, clock, connection.tokenRefreshMarginMs, () =>
      this.fetchToken(),
    );
  }

  async call<T>(method: string, userTax: string, body: object): Promise<NuonuoAnswer<T>> {
    const text = JSON.stringify(body);
    const token = await this.token.current();
    const first = await this.send<T>(method, userTax, text, token.accessToken);
    if (!TOKEN_REFUSALS.has(first.code)) return first;
    this.log.info({ code: first.code, method }, 'token refused by Nuonuo; renewing it and sending once more');
    const renewed = await this.token.replace(token.accessToken);
    const second = await this.send<T>(method, userTax, text, renewed.accessToken);
    if (TOKEN_REFUSALS.has(second.code)) {
      this.log.error({ code: second.code, method }, 'Nuonuo refused a freshly issued token');
      throw failure(this.target, 'not_sent', 'NUONUO_TOKEN_REJECTED', 'a freshly issued token was refused');
    }
    return second;
  }

  get available(): boolean {
    return !this.http.isOpen;
  }

  shutdown(): void {
    this.http.shutdown();
  }

  private async send<T>(method: string, userTax: string, body: string, accessToken: string): Promise<NuonuoAnswer<T>> {
    const signed = buildNuonuoRequest({
      appKey: this.connection.appKey,
      appSecret: this.connection.appSecret,
      accessToken,
      userTax,
      method,
      body,
      timestamp: Math.floor(this.clock.now().getTime() / 1000),
    });
    try {
      const response = await this.http.request<NuonuoEnvelope<T>>(
        { method: 'POST', url: signed.pathAndQuery, data: signed.body, headers: signed.headers },
        (answer) => this.checkHealth(answer),
      );
      return { ...response.data, retryAfterMs: parseRetryAfter(response.headers['retry-after']) };
    } catch (error) {
      throw isExternalCallError(error) ? withOutageAsNotSent(error) : error;
    }
  }

  /** Inside the breaker: a missing envelope or E9999 counts against Nuonuo; business and gateway refusals do not. */
  private checkHealth(answer: AxiosResponse<NuonuoEnvelope<unknown>>): void {
    const envelope = answer.data as NuonuoEnvelope<unknown> | undefined;
    if (!envelope || typeof envelope.code !== 'string') {
      throw failure(this.target, 'unknown', 'NUONUO_MALFORMED_ANSWER', 'answer without an envelope');
    }
    if (envelope.code === NUONUO_CODES.SYSTEM_ERROR) throw nuonuoFailure(this.target, envelope.code, envelope.describe);
  }

  private async fetchToken(): Promise<StoredToken> {
    const now = this.clock.now().getTime();
    if (now < this.quotaBlockedUntil) {
      throw failure(this.target, 'not_sent', nuonuoCode(NUONUO_CODES.TOKEN_QUOTA), 'token quota reached; not asking again yet', {
        retryAfterMs: this.quotaBlockedUntil - now,
      });
    }
    const form = new URLSearchParams({
      client_id: this.connection.appKey,
      client_secret: this.connection.appSecret,
      grant_type: 'client_credentials',
    });
    let response: AxiosResponse<NuonuoTokenResponse | NuonuoTokenError>;
    try {
      response = await this.http.request<NuonuoTokenResponse | NuonuoTokenError>({
        method: 'POST',
        url: NUONUO_TOKEN_PATH,
        data: form.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        validateStatus: (status) => status === 200 || status === 400 || status === 401,
      });
    } catch (error) {
      throw isExternalCallError(error) ? withOutageAsNotSent(error) : error;
    }
    const body = response.data;
    if ('access_token' in body && body.access_token) {
      this.log.info({ expiresInSeconds: body.expires_in }, 'new Nuonuo access token (quota: 50 per 30 days)');
      return { accessToken: body.access_token, expiresAt: new Date(now + body.expires_in * 1000) };
    }
    const refusal = body as NuonuoTokenError;
    if (refusal.error === NUONUO_CODES.TOKEN_QUOTA) {
      this.quotaBlockedUntil = now + this.connection.tokenQuotaRetryMs;
      this.log.fatal(
        { code: refusal.error, retryInMs: this.connection.tokenQuotaRetryMs },
        'NUONUO TOKEN QUOTA REACHED (50 per 30 days): no Nuonuo delivery can be made until the platform grants a token again. Check for replicas not sharing the token store.',
      );
      throw nuonuoFailure(this.target, refusal.error, refusal.error_description, this.connection.tokenQuotaRetryMs);
    }
    // 070301/070302 (client or grant refused), or a services envelope (e.g. E9613 when rate limited): nothing was issued.
    const envelope = body as Partial<NuonuoEnvelope<unknown>>;
    const code = refusal.error ?? envelope.code ?? 'TOKEN_REFUSED';
    this.log.error({ code }, 'Nuonuo refused the token request: check NUONUO_APP_KEY / NUONUO_APP_SECRET');
    const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
    throw failure(this.target, 'not_sent', nuonuoCode(code), `token refused: ${refusal.error_description ?? envelope.describe ?? ''}`, { retryAfterMs });
  }
}
