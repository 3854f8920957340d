import { parse, serialize, SerializeOptions } from 'cookie';
import type { Request, Response } from 'express';

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  return parse(header)[name] || undefined;
}

/** httpOnly and SameSite=Lax always (the IdP's callback is a top-level GET); Secure when the console is served over https. */
export function setCookie(res: Response, name: string, value: string, options: SerializeOptions & { secure: boolean }): void {
  res.append('Set-Cookie', serialize(name, value, { httpOnly: true, sameSite: 'lax', path: '/', ...options }));
}

export function clearCookie(res: Response, name: string, options: { secure: boolean; path?: string }): void {
  setCookie(res, name, '', { ...options, maxAge: 0, expires: new Date(0) });
}
