import axios, { type AxiosResponse } from 'axios';

export interface HttpAnswer<T = unknown> {
  status: number;
  headers: Record<string, unknown>;
  body: T;
}

/** Sends exact body bytes (a Buffer, so nothing re-serialises or trims them) and never throws on status. */
export async function send<T = unknown>(
  method: string,
  url: string,
  options: { body?: string | Buffer; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<HttpAnswer<T>> {
  const data = typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : options.body;
  const response: AxiosResponse<T> = await axios.request<T>({
    method,
    url,
    data,
    headers: { 'content-type': 'application/json', ...options.headers },
    timeout: options.timeoutMs ?? 5000,
    validateStatus: () => true,
    transformRequest: [(body: unknown) => body],
  });
  return {
    status: response.status,
    headers: response.headers as Record<string, unknown>,
    body: response.data,
  };
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
