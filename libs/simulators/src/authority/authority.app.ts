import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { AUTHORITY_CODES, type NonceReplayGuard } from '@lib/protocols';
import { errorHandler, rawBody, requestLog } from '../core/http.util';
import { createFaultGate } from '../faults/fault-gate.middleware';
import { authorityAuth, type AuthorityCredential } from './authority-auth.middleware';
import { authorityFormsRouter } from './authority-forms.router';
import { authorityRenderers, renderAuthorityError, sendAuthority } from './authority-http';
import { authorityInvoicesRouter, type AuthorityRouteDeps } from './authority-invoices.router';

export interface AuthorityAppDeps extends Omit<AuthorityRouteDeps, 'gate' | 'auth'> {
  credentials: () => AuthorityCredential[];
  nonces: NonceReplayGuard;
  logger: Logger;
}

/** The simulated tax authority's HTTP API (乐企-style direct connection). */
export function createAuthorityApp(deps: AuthorityAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog(deps.logger));
  const routeDeps: AuthorityRouteDeps = {
    ...deps,
    gate: createFaultGate('authority', deps.faults, deps.counters, authorityRenderers),
    auth: [rawBody, authorityAuth(deps.credentials, deps.nonces, deps.counters, () => deps.clock.realNow())],
  };
  app.use(authorityInvoicesRouter(routeDeps));
  app.use(authorityFormsRouter(routeDeps));
  app.use((_req, res) => sendAuthority(res, 404, AUTHORITY_CODES.BAD_REQUEST, 'no such endpoint'));
  app.use(errorHandler(deps.logger, renderAuthorityError));
  return app;
}
