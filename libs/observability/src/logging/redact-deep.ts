import { EventEmitter } from 'node:events';

export const REDACTED = '[redacted]';
const MAX_DEPTH = 10;

/** Key names whose values are credentials wherever they appear (compared lower-case without `-` and `_`). */
const SECRET_KEY =
  /(authorization|cookie|secret|password|passwd|^pass|token|masterkeys?|apikey|privatekey|signature|sign)$/;

const isSecretKey = (key: string) => SECRET_KEY.test(key.toLowerCase().replace(/[-_]/g, ''));

interface AxiosErrorLike extends Error {
  isAxiosError: true;
  code?: string;
  status?: number;
  config?: { method?: string; baseURL?: string; url?: string };
  response?: { status?: number };
}

const isAxiosError = (error: Error): error is AxiosErrorLike =>
  (error as Partial<AxiosErrorLike>).isAxiosError === true;

/** TypeORM's QueryFailedError (and the like): the statement and its bound values, which may be tokens or personal data. */
const isQueryError = (error: Error) => {
  const e = error as { query?: unknown; parameters?: unknown };
  return typeof e.query === 'string' && Array.isArray(e.parameters);
};

/**
 * A copy of a log line's fields that is safe to write: credentials are redacted under any key at any depth, and an
 * axios error keeps only what happened (code, status, method, URL without its query) and never its config, request
 * or response, which carry the call's headers and body; a failed query keeps its statement but not its `parameters`. Errors keep their prototype, so pino's error serializer still
 * names their type and follows their causes. Sockets, streams and the like are not walked (HTTP req/res are left to
 * their serializers).
 */
export function redactLogFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] =
      (key === 'req' || key === 'res') && value instanceof EventEmitter ? value : clean(key, value, 0, []);
  }
  return out;
}

function clean(key: string, value: unknown, depth: number, path: object[]): unknown {
  if (isSecretKey(key) && value !== undefined && value !== null && value !== '') return REDACTED;
  return redact(value, depth, path);
}

function redact(value: unknown, depth: number, path: object[]): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (path.includes(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[Array]' : '[Object]';
  if (value instanceof EventEmitter) return `[${value.constructor.name}]`;
  if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
  const inner = [...path, value];
  if (value instanceof Error) return copyError(value, depth, inner);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, inner));
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return redact(json.call(value), depth + 1, inner);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(k, v, depth + 1, inner)]));
}

function copyError(error: Error, depth: number, path: object[]): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  const hidden = (key: string, v: unknown) =>
    Object.defineProperty(copy, key, { value: v, enumerable: false, writable: true, configurable: true });
  hidden('message', error.message);
  hidden('stack', error.stack);
  if (isAxiosError(error)) return Object.assign(copy, axiosSummary(error));
  const queryError = isQueryError(error);
  for (const [key, v] of Object.entries(error)) {
    if (queryError && key === 'parameters') continue;
    Object.defineProperty(copy, key, {
      value: clean(key, v, depth + 1, path),
      enumerable: true,
      writable: true,
    });
  }
  if (error.cause !== undefined) hidden('cause', redact(error.cause, depth + 1, path));
  const errors = (error as Partial<AggregateError>).errors;
  if (Array.isArray(errors)) hidden('errors', redact(errors, depth + 1, path));
  return copy;
}

/** What an axios error says about the call, without the config, request and response it holds. */
function axiosSummary(error: AxiosErrorLike) {
  const url = (error.config?.url ?? '').split('?')[0];
  const base = /^[a-z]+:\/\//i.test(url) ? '' : (error.config?.baseURL ?? '');
  return {
    code: error.code,
    status: error.response?.status ?? error.status,
    method: error.config?.method?.toUpperCase(),
    url: `${base}${url}`,
  };
}
