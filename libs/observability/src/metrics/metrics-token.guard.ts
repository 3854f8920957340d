import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError, bearerCredential, sameDigest, secretDigest } from '@lib/common';
import { ObservabilityErrorCode } from '../observability-error-codes';

/** The bearer token /metrics requires; empty: /metrics is open (development, or a network policy in front). */
export const METRICS_TOKEN = Symbol('METRICS_TOKEN');

/** Lets a scrape through when no token is configured, or when it carries the token (compared in constant time). */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@Inject(METRICS_TOKEN) token: string) {
    this.expected = token ? secretDigest(token) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) return true;
    const presented = bearerCredential(context.switchToHttp().getRequest<Request>().headers.authorization);
    if (presented !== null && sameDigest(secretDigest(presented), this.expected)) return true;
    throw new AppError(
      ObservabilityErrorCode.INVALID_METRICS_TOKEN,
      'unauthorized',
      'a valid bearer token (METRICS_TOKEN) is required',
    );
  }
}

