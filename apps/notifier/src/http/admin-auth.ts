import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { AppError } from '@lib/common';

/** Who called the admin API (recorded as `updatedBy`). */
export interface AdminPrincipal {
  id: string;
}

/**
 * Authenticates an admin request. The bearer-token implementation below is today's; an SSO/OIDC
 * authenticator replaces it by providing another ADMIN_AUTHENTICATOR, without touching controllers.
 */
export interface AdminAuthenticator {
  authenticate(request: Request): Promise<AdminPrincipal>;
}

export const ADMIN_AUTHENTICATOR = Symbol('ADMIN_AUTHENTICATOR');

type AdminRequest = Request & { admin?: AdminPrincipal };

/** A static bearer token from configuration, compared in constant time (hashes of equal length). */
export class BearerTokenAuthenticator implements AdminAuthenticator {
  private readonly expected: Buffer | null;

  constructor(token: string) {
    this.expected = token ? digest(token) : null;
  }

  async authenticate(request: Request): Promise<AdminPrincipal> {
    if (!this.expected)
      throw new AppError(
        'ADMIN_API_DISABLED',
        'unauthorized',
        'the admin API has no token configured (NOTIFIER_ADMIN_TOKEN)',
      );
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1].trim()), this.expected)) {
      throw new AppError('INVALID_ADMIN_TOKEN', 'unauthorized', 'a valid admin bearer token is required');
    }
    return { id: 'admin-token' };
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

@Injectable()
export class AdminGuard implements CanActivate {
  constructor(@Inject(ADMIN_AUTHENTICATOR) private readonly authenticator: AdminAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    request.admin = await this.authenticator.authenticate(request);
    return true;
  }
}

export function adminOf(request: Request): AdminPrincipal {
  return (request as AdminRequest).admin ?? { id: 'unknown' };
}
