// A browser as far as the IdP can tell: keeps cookies (path and expiry honoured), follows redirects itself and stops
// at a given origin (the relying party's callback, which nobody serves in these tests).

interface Cookie {
  name: string;
  value: string;
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

  /** GETs (or POSTs a form to) `url` and follows redirects until a page or a URL under `stopAt`. */
  async open(url: string, options: { form?: Record<string, string>; stopAt?: string } = {}): Promise<Page> {
    let current = url;
    let form = options.form;
    for (let hops = 0; hops < 20; hops++) {
      if (options.stopAt && current.startsWith(options.stopAt)) {
        return { url: current, status: 0, headers: new Headers(), body: '' };
      }
      const response = await this.send(current, form);
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

  private async send(url: string, form?: Record<string, string>): Promise<Response> {
    const target = new URL(url);
    const headers: Record<string, string> = {};
    const cookies = [...this.jar.values()]
      .filter((c) => pathMatches(c.path, target.pathname))
      .map((c) => `${c.name}=${c.value}`);
    if (cookies.length) headers.cookie = cookies.join('; ');
    if (this.acceptLanguage) headers['accept-language'] = this.acceptLanguage;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      headers,
      body: form ? new URLSearchParams(form).toString() : undefined,
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) this.keep(line, target);
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
    const key = `${name};${path}`;
    if (expired) this.jar.delete(key);
    else this.jar.set(key, { name, value, path });
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
