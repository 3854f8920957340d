import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { AppError } from '@lib/common';

/** Who called the API (recorded in finding history as the actor). */
export interface ApiPrincipal {
  id: string;
}

/**
 * Authenticates an API request. Today a static bearer token; an SSO/OIDC authenticator replaces it by
 * providing another API_AUTHENTICATOR, without touching the controllers.
 */
export interface ApiAuthenticator {
  authenticate(request: Request): Promise<ApiPrincipal>;
}

export const API_AUTHENTICATOR = Symbol('API_AUTHENTICATOR');

type ApiRequest = Request & { principal?: ApiPrincipal };

/** A bearer token from configuration, compared in constant time (SHA-256 digests of equal length). */
export class BearerTokenAuthenticator implements ApiAuthenticator {
  private readonly expected: Buffer | null;

  constructor(token: string) {
    this.expected = token ? digest(token) : null;
  }

  async authenticate(request: Request): Promise<ApiPrincipal> {
    if (!this.expected) throw new AppError('API_DISABLED', 'unauthorized', 'the API has no token configured (RECONCILE_API_TOKEN)');
    const match = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
    if (!match || !timingSafeEqual(digest(match[1].trim()), this.expected)) {
      throw new AppError('INVALID_API_TOKEN', 'unauthorized', 'a valid bearer token is required');
    }
    return { id: 'api-token' };
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

@Injectable()
export class ApiGuard implements CanActivate {
  constructor(@Inject(API_AUTHENTICATOR) private readonly authenticator: ApiAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ApiRequest>();
    request.principal = await this.authenticator.authenticate(request);
    return true;
  }
}

export function principalOf(request: Request): ApiPrincipal {
  return (request as ApiRequest).principal ?? { id: 'unknown' };
}
