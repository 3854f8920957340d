/** A failed call: the service's error code and message, the HTTP status and, when the service said, when to try again. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Services answer `{"error": {...}}`, the console's own routes `{code, message}`: both are read. */
export async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const record = (value: unknown): Record<string, unknown> | null =>
    value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  const outer = record(body);
  const inner = record(outer?.error) ?? outer;
  const code = typeof inner?.code === 'string' ? inner.code : `HTTP_${response.status}`;
  const message = typeof inner?.message === 'string' ? inner.message : response.statusText || 'Request failed';
  const retryAfter = Number(response.headers.get('retry-after') ?? '');
  return new ApiError(response.status, code, message, inner?.details, retryAfter > 0 ? retryAfter : undefined);
}
