// A browser as far as an IdP or a relying party can tell: keeps cookies (host-only, ports shared as browsers do; path
// and expiry honoured), follows redirects itself and stops at a given origin (a relying party's callback the test
// wants to see), or makes one request at a time so that each step is visible to the test.

interface Cookie {
  name: string;
  value: string;
  host: string;
  path: string;
}

export interface Page {
  url: string;
  status: number;
  headers: Headers;
  body: string;
}

function pathMatches(cookiePath: string, requestPath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

export class CookieBrowser {
  private readonly jar = new Map<string, Cookie>();

  constructor(private readonly acceptLanguage?: string) {}

  /** Names of the cookies held now. */
  cookieNames(): string[] {
    return [...this.jar.values()].map((c) => c.name);
  }

  /** The Cookie header this browser sends to `url` ('' when none), e.g. for a streamed download made with fetch. */
  cookieHeader(url: string): string {
    const { hostname, pathname } = new URL(url);
    return [...this.jar.values()]
      .filter((c) => c.host === hostname && pathMatches(c.path, pathname))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  /** One request with the cookies held, no redirect followed; the cookies it sets are kept. */
  async request(url: string, init: RequestInit = {}): Promise<Page> {
    const response = await this.send(url, init);
    return { url, status: response.status, headers: response.headers, body: await response.text() };
  }

  /** GETs (or POSTs a form to) `url` and follows redirects until a page or a URL under `stopAt`. */
  async open(url: string, options: { form?: Record<string, string>; stopAt?: string } = {}): Promise<Page> {
    let current = url;
    let form = options.form;
    for (let hops = 0; hops < 20; hops++) {
      if (options.stopAt && current.startsWith(options.stopAt)) {
        return { url: current, status: 0, headers: new Headers(), body: '' };
      }
      const response = await this.send(
        current,
        form
          ? {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams(form).toString(),
            }
          : {},
      );
      form = undefined;
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        current = new URL(location, current).href;
        continue;
      }
      return {
        url: current,
        status: response.status,
        headers: response.headers,
        body: await response.text(),
      };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(url);
    if (cookie) headers.set('cookie', cookie);
    if (this.acceptLanguage && !headers.has('accept-language'))
      headers.set('accept-language', this.acceptLanguage);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.keep(line, new URL(url));
    return response;
  }

  private keep(line: string, from: URL): void {
    const [pair, ...attributes] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    let path = from.pathname.replace(/\/[^/]*$/, '') || '/';
    let expired = value === '';
    for (const attribute of attributes) {
      const [key, ...rest] = attribute.split('=');
      const v = rest.join('=');
      if (key.toLowerCase() === 'path') path = v || '/';
      if (key.toLowerCase() === 'expires' && Date.parse(v) <= Date.now()) expired = true;
      if (key.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
    }
    const key = `${from.hostname};${name};${path}`;
    if (expired) this.jar.delete(key);
    else this.jar.set(key, { name, value, host: from.hostname, path });
  }
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
const unescape = (s: string): string => s.replace(/&(amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m]);

/** The first form of the page: its absolute action URL and its hidden inputs. */
export function formOf(page: Page, id?: string): { action: string; hidden: Record<string, string> } {
  const pattern = id
    ? new RegExp(`<form[^>]*id="${id}"[^>]*>([\\s\\S]*?)</form>`)
    : /<form[^>]*>([\s\S]*?)<\/form>/;
  const match = pattern.exec(page.body);
  if (!match) throw new Error(`no form on ${page.url} (${page.status}):\n${page.body.slice(0, 500)}`);
  const action = /action="([^"]*)"/.exec(match[0])?.[1];
  if (action === undefined) throw new Error('the form has no action');
  const hidden: Record<string, string> = {};
  for (const input of match[1].matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
    if (name) hidden[name] = unescape(value);
  }
  return { action: new URL(unescape(action), page.url).href, hidden };
}

/** The visible text of `<label for="id">`, or undefined. */
export function labelFor(page: Page, id: string): string | undefined {
  return new RegExp(`<label for="${id}">([^<]*)</label>`).exec(page.body)?.[1];
}
