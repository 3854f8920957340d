import { generateNonce, signedHeaders } from './signature';
import { GatewayResponse, joinUrl, readResponse } from './http-response';

export interface DeviceClientOptions {
  /** e.g. `http://127.0.0.1:3000` (no trailing path). */
  baseUrl: string;
  deviceId: string;
  secret: string;
  /** Epoch ms; tests pass a frozen clock. */
  now?: () => number;
  nonce?: () => string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface InvoiceResult {
  eventId: string | null;
  status: 'accepted' | 'duplicate' | 'rejected';
  errors: { code: string; field: string; message: string }[];
  warnings?: { code: string; field: string; message: string }[];
}

export interface SendOptions {
  /** Sent as is; anything else is JSON-encoded. The signature covers exactly these bytes. */
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Signs and sends device requests with Node's fetch. Each call gets a fresh timestamp and nonce, so a retry of the
 * same data is a new request (the gateway de-duplicates on the items' eventIds, not on the request).
 */
export class DeviceClient {
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: DeviceClientOptions) {
    this.fetchFn = options.fetch ?? fetch;
  }

  get deviceId(): string {
    return this.options.deviceId;
  }

  postInvoices(
    invoices: unknown[],
    headers?: Record<string, string>,
  ): Promise<GatewayResponse<{ results: InvoiceResult[] }>> {
    return this.send('POST', '/v1/invoices', { body: { invoices }, headers });
  }

  postClearCard(body: unknown): Promise<GatewayResponse<{ status: string }>> {
    return this.send('POST', `/v1/devices/${encodeURIComponent(this.options.deviceId)}/clear-card`, { body });
  }

  postReport(body: unknown): Promise<GatewayResponse<{ status: string }>> {
    return this.send('POST', `/v1/devices/${encodeURIComponent(this.options.deviceId)}/reports`, { body });
  }

  postMonitor(body: unknown): Promise<GatewayResponse<{ status: string }>> {
    return this.send('POST', `/v1/devices/${encodeURIComponent(this.options.deviceId)}/monitor`, { body });
  }

  /** Any signed request; `pathAndQuery` is signed exactly as given. */
  async send<T = unknown>(
    method: string,
    pathAndQuery: string,
    options: SendOptions = {},
  ): Promise<GatewayResponse<T>> {
    const bytes = encodeBody(options.body);
    const auth = signedHeaders({
      deviceId: this.options.deviceId,
      secret: this.options.secret,
      method,
      pathAndQuery,
      body: bytes ?? '',
      now: this.options.now?.(),
      nonce: (this.options.nonce ?? generateNonce)(),
    });
    const headers: Record<string, string> = { ...auth, ...(options.headers ?? {}) };
    if (bytes !== undefined && !hasHeader(headers, 'content-type'))
      headers['Content-Type'] = 'application/json';
    const response = await this.fetchFn(joinUrl(this.options.baseUrl, pathAndQuery), {
      method,
      headers,
      body: bytes,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    });
    return readResponse<T>(response);
  }
}

function encodeBody(body: unknown): Uint8Array | undefined {
  if (body === undefined) return undefined;
  if (body instanceof Uint8Array) return body;
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}
