import { z } from 'zod';
import { AppError } from '@lib/common';
import { idSchema, parseBody } from '@lib/contracts';
import { GatewayErrorCode } from '../../gateway-error-codes';

export const MAX_PAGE_SIZE = 200;

const listQuerySchema = z.object({
  taxNo: z.string().min(1).max(32).optional(),
  branchId: idSchema.optional(),
  cursor: z.string().max(300).optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_PAGE_SIZE))
    .optional(),
});

export interface ListDevicesQuery {
  taxNo?: string;
  branchId?: string;
  after?: { createdAt: Date; deviceId: string };
  limit: number;
}

/** `?taxNo=&branchId=&cursor=&limit=` → a typed query; the cursor is opaque to clients. */
export function toListDevicesQuery(raw: unknown): ListDevicesQuery {
  const parsed = parseBody(listQuerySchema, raw ?? {});
  if (!parsed.ok)
    throw new AppError(GatewayErrorCode.VALIDATION_FAILED, 'validation', 'bad query parameters', {
      details: parsed.errors,
    });
  const { taxNo, branchId, cursor, limit } = parsed.value;
  return {
    taxNo,
    branchId,
    after: cursor === undefined ? undefined : decodeCursor(cursor),
    limit: limit ?? 50,
  };
}

/** A keyset position: the creation time and id of the last device of the previous page. */
export function encodeCursor(createdAt: Date, deviceId: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), deviceId]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; deviceId: string } {
  try {
    const [at, deviceId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const createdAt = new Date(String(at));
    if (typeof at === 'string' && typeof deviceId === 'string' && !Number.isNaN(createdAt.getTime()))
      return { createdAt, deviceId };
  } catch {
    // fall through
  }
  throw new AppError(
    GatewayErrorCode.INVALID_CURSOR,
    'validation',
    'the cursor is not one this API handed out',
  );
}
