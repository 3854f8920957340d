// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies of assorted shapes, asserted by the tests
export type JsonBody = any;

/** Calls a service's JSON API the way a client would (bearer token optional); the body comes back parsed. */
export async function requestJson(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string | null,
): Promise<{ status: number; body: JsonBody }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}
