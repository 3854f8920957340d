/** What the clients return: status, headers and the parsed JSON body (the text when it is not JSON). */
export interface GatewayResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** `{"error": {"code", "message", "details"}}`, the body of every non-2xx answer. */
export interface GatewayErrorBody {
  error: { code: string; message: string; details: unknown[] };
}

export async function readResponse<T>(response: Response): Promise<GatewayResponse<T>> {
  const text = await response.text();
  let body: unknown = text;
  if (text.length > 0 && (response.headers.get('content-type') ?? '').includes('json')) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

export function joinUrl(baseUrl: string, pathAndQuery: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${pathAndQuery}`;
}
