import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { AppError } from '@lib/common';

/** The bearer token /metrics requires; empty: /metrics is open (development, or a network policy in front). */
export const METRICS_TOKEN = Symbol('METRICS_TOKEN');

/** Lets a scrape through when no token is configured, or when it carries the token (compared in constant time). */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@Inject(METRICS_TOKEN) token: string) {
    this.expected = token ? digest(token) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) return true;
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (match && timingSafeEqual(digest(match[1].trim()), this.expected)) return true;
    throw new AppError(
      'INVALID_METRICS_TOKEN',
      'unauthorized',
      'a valid bearer token (METRICS_TOKEN) is required',
    );
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
