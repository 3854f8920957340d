/**
 * Where to land after sign-in: only a path of this origin (one leading `/`, not `//` or `/\`, which browsers read as
 * another host), without control characters; anything else lands on `/`. The login routes themselves are refused
 * too (a loop).
 */
export function safeReturnTo(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2000) return '/';
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return '/';
  let url: URL;
  try {
    url = new URL(raw, 'http://console.invalid');
  } catch {
    return '/';
  }
  if (url.origin !== 'http://console.invalid') return '/';
  if (url.pathname === '/auth' || url.pathname.startsWith('/auth/')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
