import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError } from '@lib/common';
import { ConsoleConfig } from '../console.config';
import { CONSOLE_CONFIG } from '../console.tokens';
import { SessionGate } from './session-gate';
import { ConsoleErrorCode } from '../console-error-codes';

/** The single-page app's routes (PRODUCT.md, "Pages and URLs"): each serves index.html, the app routes in the browser. */
export const SPA_ROUTES = [
  '/',
  '/findings',
  '/findings/:id',
  '/invoices',
  '/invoices/:key',
  '/devices',
  '/devices/:id',
  '/deliveries',
  '/reconciliations',
  '/corrections',
  '/received',
  '/maintenance',
  '/notifications',
  '/audit',
];

const webMissing = () =>
  new AppError(
    ConsoleErrorCode.CONSOLE_WEB_MISSING,
    'unavailable',
    'The console’s web build is missing (CONSOLE_WEB_DIR); build it first',
    {
      retryAfterSeconds: 30,
    },
  );

/** index.html for a signed-in person (the login otherwise), and the build's static assets. */
@ApiExcludeController()
@Controller()
export class SpaController {
  private readonly webDir: string;

  constructor(
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
    private readonly gate: SessionGate,
  ) {
    this.webDir = resolve(config.CONSOLE_WEB_DIR);
  }

  @Get(SPA_ROUTES)
  async page(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!(await this.gate.signedIn(req))) {
      const login = new URLSearchParams({ returnTo: req.originalUrl });
      if (req.query.lang === 'en' || req.query.lang === 'zh') login.set('lang', req.query.lang);
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(302, `/auth/login?${login}`);
      return;
    }
    const index = resolve(this.webDir, 'index.html');
    if (!existsSync(index)) throw webMissing();
    res.setHeader('Cache-Control', 'no-store');
    await sendFile(res, index, {});
  }

  @Get('assets/*path')
  async asset(@Req() req: Request, @Res() res: Response): Promise<void> {
    const root = resolve(this.webDir, 'assets');
    if (!existsSync(root)) throw webMissing();
    const path = (req.params as { path?: string[] | string }).path;
    const relative = Array.isArray(path) ? path.join('/') : String(path ?? '');
    // sendFile with a root refuses `..` and dotfiles; a file not there is the usual 404.
    await sendFile(res, relative, { root, dotfiles: 'deny', maxAge: '1h' }).catch(() => {
      if (!res.headersSent) throw new AppError(ConsoleErrorCode.NOT_FOUND, 'not_found', 'No such asset');
    });
  }
}

function sendFile(
  res: Response,
  path: string,
  options: { root?: string; dotfiles?: 'deny'; maxAge?: string },
): Promise<void> {
  return new Promise((done, fail) => res.sendFile(path, options, (error) => (error ? fail(error) : done())));
}
