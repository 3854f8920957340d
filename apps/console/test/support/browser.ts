/**
 * A browser as far as the login needs one: keeps cookies (by host and path, ports shared as browsers do), follows
 * redirects one at a time, posts forms. Each step is visible to the test.
 */
export interface Page {
  url: string;
  status: number;
  headers: Headers;
  body: string;
}

interface Cookie {
  name: string;
  value: string;
  host: string;
  path: string;
}

export class Browser {
  private cookies: Cookie[] = [];

  cookieHeader(url: string): string {
    const { hostname, pathname } = new URL(url);
    return this.cookies
      .filter(
        (c) =>
          c.host === hostname &&
          (pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)),
      )
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  cookie(name: string): Cookie | undefined {
    return this.cookies.find((c) => c.name === name);
  }

  /** One request, no redirect followed. */
  async request(url: string, init: RequestInit = {}): Promise<Page> {
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.store(url, response.headers.getSetCookie());
    return { url, status: response.status, headers: response.headers, body: await response.text() };
  }

  /** Follows redirects until a page answers, or until a URL starting with `stopAt` would be requested. */
  async open(url: string, options: { form?: Record<string, string>; stopAt?: string } = {}): Promise<Page> {
    let page = await this.request(
      url,
      options.form
        ? {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams(options.form).toString(),
          }
        : {},
    );
    for (let hops = 0; hops < 20 && page.status >= 300 && page.status < 400; hops += 1) {
      const next = new URL(page.headers.get('location')!, page.url).href;
      if (options.stopAt && next.startsWith(options.stopAt)) return { ...page, url: next };
      page = await this.request(next);
    }
    return page;
  }

  private store(url: string, setCookies: string[]): void {
    const { hostname } = new URL(url);
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) || '/';
      const expired =
        attributes.some((a) => /^max-age=(0|-)/i.test(a)) ||
        attributes.some((a) => /^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now());
      this.cookies = this.cookies.filter((c) => !(c.name === name && c.host === hostname && c.path === path));
      if (!expired && value !== '') this.cookies.push({ name, value, host: hostname, path });
    }
  }
}

/** The first form of a page: its action (absolute) and hidden fields. */
export function formOf(page: Page): { action: string; hidden: Record<string, string> } {
  const match = /<form[^>]*>([\s\S]*?)<\/form>/.exec(page.body);
  if (!match) throw new Error(`no form on ${page.url} (${page.status}):\n${page.body.slice(0, 500)}`);
  const action = /action="([^"]*)"/.exec(match[0])?.[1];
  if (action === undefined) throw new Error('the form has no action');
  const unescape = (s: string) =>
    s
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
  const hidden: Record<string, string> = {};
  for (const input of match[1]!.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    if (name) hidden[name] = unescape(/value="([^"]*)"/.exec(input[0])?.[1] ?? '');
  }
  return { action: new URL(unescape(action), page.url).href, hidden };
}
