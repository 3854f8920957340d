import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError, bearerCredential, sameDigest, secretDigest } from '@lib/common';
import { looksLikeJwt, PersonTokenVerifier } from './person-token.verifier';
import { Permission, permits, Principal, Role, scopeForRoles } from './principal';
import { PlatformErrorCode } from '../platform-error-codes';

/**
 * A machine caller: a configured bearer token with the least roles it needs (the demo's automation, a monitoring job,
 * the operators' scripts). Recorded as the actor under its name.
 */
export interface ServiceAccount {
  name: string;
  token: string;
  roles: Role[];
  /** Branch limit for an account holding only branch-clerk; ignored otherwise. */
  branches?: string[];
}

/** Turns a request's bearer credential into a principal: a person's JWT (IdP keys) or a service account's token. */
export class Authenticator {
  private readonly accounts: { digest: Buffer; principal: Principal }[];

  constructor(
    accounts: readonly ServiceAccount[],
    private readonly people: PersonTokenVerifier | null,
  ) {
    this.accounts = accounts
      .filter((account) => account.token !== '')
      .map((account) => ({
        digest: secretDigest(account.token),
        principal: {
          kind: 'service' as const,
          subject: account.name,
          name: account.name,
          roles: account.roles,
          scope: scopeForRoles(account.roles, account.branches ?? []),
        },
      }));
  }

  async authenticate(request: Request): Promise<Principal> {
    const token = bearerToken(request);
    if (looksLikeJwt(token)) {
      if (!this.people)
        throw new AppError(
          PlatformErrorCode.PERSON_AUTH_DISABLED,
          'unauthorized',
          'this service accepts no person tokens (AUTH_ISSUER is not set)',
        );
      return this.people.verify(token);
    }
    if (token.length > 512)
      throw new AppError(PlatformErrorCode.INVALID_TOKEN, 'unauthorized', 'a valid bearer token is required');
    const presented = secretDigest(token);
    // Compare against every account so the time taken does not say which one matched.
    let found: Principal | null = null;
    for (const account of this.accounts)
      if (sameDigest(presented, account.digest)) found = account.principal;
    if (!found) throw new AppError(PlatformErrorCode.INVALID_TOKEN, 'unauthorized', 'a valid bearer token is required');
    return found;
  }
}

/**
 * The bearer credential of a request, as it came: what the Authenticator checks, and what a service forwards to call
 * another one as the same caller. 401 UNAUTHENTICATED without one.
 */
export function bearerToken(request: Request): string {
  const token = bearerCredential(request.headers.authorization);
  if (token === null) throw new AppError(PlatformErrorCode.UNAUTHENTICATED, 'unauthorized', 'a bearer token is required');
  return token;
}

export const AUTHENTICATOR = Symbol('AUTHENTICATOR');
const REQUIRED_PERMISSION = 'auth:required-permission';

/** The permission a route (or every route of a controller) requires; the AuthGuard answers 403 without it. */
export const Requires = (permission: Permission) => SetMetadata(REQUIRED_PERMISSION, permission);

type AuthenticatedRequest = Request & { principal?: Principal };

/** Authenticates the caller (401), then checks the route's `@Requires` permission (403). Branch scope is the query's job. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticator.authenticate(request);
    request.principal = principal;
    const required = this.reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required) throw new AppError(PlatformErrorCode.INTERNAL, 'internal', 'route declares no required permission');
    if (!permits(principal, required)) {
      throw new AppError(
        PlatformErrorCode.FORBIDDEN,
        'forbidden',
        `${principal.roles.join(', ') || 'no role'} may not ${required.replace(':', ' ')}`,
      );
    }
    return true;
  }
}

/** The principal the AuthGuard attached to this request. */
export function principalOf(request: Request): Principal {
  const principal = (request as AuthenticatedRequest).principal;
  if (!principal) throw new AppError(PlatformErrorCode.UNAUTHENTICATED, 'unauthorized', 'the request was not authenticated');
  return principal;
}
