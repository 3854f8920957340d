import { z } from 'zod';
import { FieldError } from '../errors/field-error.model';
import { toFieldErrors } from '../errors/zod-issue.mapper';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Validates a request body (or any input) against a schema and returns our error shape; never throws on bad input. */
export function parseBody<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  prefix = '',
): ParseResult<z.output<S>> {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, errors: toFieldErrors(result.error.issues, { prefix, input: raw }) };
}
