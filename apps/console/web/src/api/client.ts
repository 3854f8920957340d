import { ApiError, toApiError } from './api-error';

export type Service = 'reconcile' | 'gateway' | 'sync' | 'notifier';
export type Query = Record<string, string | number | undefined | null>;

let csrfToken = '';
let currentLang: 'zh' | 'en' = 'zh';

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export function setClientLang(lang: 'zh' | 'en'): void {
  currentLang = lang;
}

/** Full-page navigation to the console backend's login, coming back to where the person was. */
export function goToLogin(): void {
  const returnTo = window.location.pathname + window.location.search;
  const params = new URLSearchParams({ returnTo, lang: currentLang });
  window.location.assign(`/auth/login?${params.toString()}`);
}

export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['X-CSRF-Token'] = csrfToken;
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
  });
  if (response.status === 401) {
    goToLogin();
    throw new ApiError(401, 'UNAUTHENTICATED', 'Signed out');
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(service: Service, path: string, query?: Query) => call<T>('GET', `/api/${service}/${path}${queryString(query)}`),
  post: <T>(service: Service, path: string, body?: unknown) => call<T>('POST', `/api/${service}/${path}`, body),
  /** The console's own routes (`/api/me`, `/api/audit`). */
  raw: <T>(method: string, url: string, body?: unknown) => call<T>(method, url, body),
};

/** A plain download link (the browser follows it; no fetch), with the page's filters and language. */
export function exportUrl(kind: 'findings' | 'invoices' | 'devices' | 'audit', format: 'xlsx' | 'csv', query: Query): string {
  return `/api/export/${kind}.${format}${queryString({ ...query, lang: currentLang })}`;
}
