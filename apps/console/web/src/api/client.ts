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
  put: <T>(service: Service, path: string, body?: unknown) => call<T>('PUT', `/api/${service}/${path}`, body),
  /** The console's own routes (`/api/me`, `/api/audit`). */
  raw: <T>(method: string, url: string, body?: unknown) => call<T>(method, url, body),
};

/** A plain download link (the browser follows it; no fetch), with the page's filters and language. */
export function exportUrl(kind: 'findings' | 'invoices' | 'devices' | 'audit', format: 'xlsx' | 'csv', query: Query): string {
  return `/api/export/${kind}.${format}${queryString({ ...query, lang: currentLang })}`;
}

/**
 * Downloads a service's file (a reset's backup.csv) through the console and hands it to the browser as a file, named as
 * the service's Content-Disposition says. Fetched rather than followed as a link, so that the page knows when it is
 * done (the service records the download) and shows a refusal as an error instead of a JSON page.
 */
export async function downloadFile(service: Service, path: string, fallbackName: string): Promise<void> {
  const response = await fetch(`/api/${service}/${path}`, { credentials: 'same-origin' });
  if (response.status === 401) {
    goToLogin();
    throw new ApiError(401, 'UNAUTHENTICATED', 'Signed out');
  }
  if (!response.ok) throw await toApiError(response);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = fileNameOf(response.headers.get('content-disposition')) ?? fallbackName;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // the browser reads the blob after the click has returned: let it go a minute later
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}

/** The file name of a Content-Disposition header (`filename*=UTF-8''…` preferred over `filename="…"`). */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // a malformed encoding: the plain name, if any
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(disposition);
  return plain ? (plain[1] ?? plain[2]).trim() : null;
}
