import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * helmet with a strict Content-Security-Policy: only our own scripts; inline styles (Ant Design injects them); images
 * from us or data: URLs; never framed; forms post only to us and to the IdP (its login page is a redirect away).
 */
export function securityHeaders(idpOrigin: string, https: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'", idpOrigin],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // The IdP's origin differs: a same-origin referrer policy would drop what it needs nothing of anyway.
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: https ? { maxAge: 15_552_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
}
