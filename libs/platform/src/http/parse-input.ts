import { z } from 'zod';
import { AppError } from '@lib/common';
import { PlatformErrorCode } from '../platform-error-codes';

/**
 * Parses one part of a request (body, query, a path parameter) at the edge. The one place a zod error becomes the
 * 400 body: INVALID_REQUEST with an INVALID_VALUE detail per issue, its field prefixed with `where`.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError(PlatformErrorCode.INVALID_REQUEST, 'validation', `invalid ${where}`, {
    details: parsed.error.issues.map((issue) => ({
      code: PlatformErrorCode.INVALID_VALUE,
      field: [where, ...issue.path].join('.'),
      message: issue.message,
    })),
  });
}
