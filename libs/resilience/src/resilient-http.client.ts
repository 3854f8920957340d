import axios, { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import CircuitBreaker from 'opossum';
import { classifyHttpError } from './classify-http-error';
import { BreakerMetrics } from './breaker-metrics';

/** Inspects a 2xx response; throws an ExternalCallError when its envelope reports a failure. */
export type ResponseCheck = (response: AxiosResponse) => void;

export interface BreakerSettings {
  /** % of failed calls in the rolling window that opens the breaker. */
  errorThresholdPercentage: number;
  /** Calls in the window before the percentage counts at all. */
  volumeThreshold: number;
  /** How long the breaker stays open before letting one probe through (half-open). */
  resetTimeoutMs: number;
  rollingCountTimeoutMs: number;
}

export interface ResilientHttpOptions {
  /** Name of the target (metrics label, error messages). */
  target: string;
  baseURL: string;
  /**
   * Deadline of every call, from connecting to the last byte of the response (the request's own `timeout` replaces
   * it). axios' `timeout` alone is a socket idle timeout: a target dripping bytes would hold the call forever.
   */
  timeoutMs: number;
  maxSockets?: number;
  breaker?: Partial<BreakerSettings>;
  /** Where the client counts its calls and its breaker's changes; its own by default. */
  metrics?: BreakerMetrics;
}

export const DEFAULT_BREAKER: BreakerSettings = {
  errorThresholdPercentage: 50,
  volumeThreshold: 10,
  resetTimeoutMs: 5_000,
  rollingCountTimeoutMs: 10_000,
};

/**
 * axios behind one opossum breaker per target, created once. Keep-alive sockets, a timeout owned
 * by the client, and failures classified (not sent / unknown / rejected). A rejection (4xx, or a
 * business refusal a caller reports through `markRejected`) does not count against the breaker:
 * only the target being unwell does.
 */
export class ResilientHttpClient {
  readonly breaker: CircuitBreaker<[AxiosRequestConfig, ResponseCheck | undefined], AxiosResponse>;
  private readonly http: AxiosInstance;
  private readonly metrics: BreakerMetrics;

  constructor(private readonly options: ResilientHttpOptions) {
    const settings = { ...DEFAULT_BREAKER, ...options.breaker };
    this.http = axios.create({
      baseURL: options.baseURL,
      timeout: options.timeoutMs,
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 }),
      // Bodies are signed byte for byte: never let axios re-serialise them.
      transformRequest: [(data: unknown) => data],
      transitional: { clarifyTimeoutError: true },
      maxRedirects: 0,
    });
    this.breaker = new CircuitBreaker(
      async (config: AxiosRequestConfig, check: ResponseCheck | undefined) => {
        const response = await this.http.request(withDeadline(config, options.timeoutMs));
        check?.(response);
        return response;
      },
      {
        name: options.target,
        // The call's deadline aborts the request itself (an opossum timeout would leave the socket open behind it).
        timeout: false,
        errorThresholdPercentage: settings.errorThresholdPercentage,
        volumeThreshold: settings.volumeThreshold,
        resetTimeout: settings.resetTimeoutMs,
        rollingCountTimeout: settings.rollingCountTimeoutMs,
        errorFilter: (error: unknown) => classifyHttpError(options.target, error).kind === 'rejected',
      },
    );
    this.metrics = options.metrics ?? new BreakerMetrics();
    this.metrics.track(options.target, this.breaker);
  }

  get target(): string {
    return this.options.target;
  }

  get isOpen(): boolean {
    return this.breaker.opened;
  }

  /**
   * Sends the request through the breaker. Throws ExternalCallError on any failure. `check` runs
   * inside the breaker: platforms that answer HTTP 200 with an error envelope throw from it, and
   * the error's kind decides whether it counts against the target ('rejected' does not).
   */
  async request<T>(config: AxiosRequestConfig, check?: ResponseCheck): Promise<AxiosResponse<T>> {
    const started = process.hrtime.bigint();
    try {
      const response = (await this.breaker.fire(config, check)) as AxiosResponse<T>;
      this.metrics.observe(this.options.target, 'ok', started);
      return response;
    } catch (error) {
      const failure = classifyHttpError(this.options.target, error);
      this.metrics.observe(this.options.target, failure.kind, started);
      throw failure;
    }
  }

  shutdown(): void {
    this.breaker.shutdown();
    this.metrics.untrack(this.options.target, this.breaker);
  }
}

/** The request with an abort signal that fires at its deadline (and still at the caller's own signal, if any). */
function withDeadline(config: AxiosRequestConfig, timeoutMs: number): AxiosRequestConfig {
  const deadline = AbortSignal.timeout(config.timeout || timeoutMs);
  const own = config.signal as AbortSignal | undefined;
  return { ...config, signal: own ? AbortSignal.any([own, deadline]) : deadline };
}
