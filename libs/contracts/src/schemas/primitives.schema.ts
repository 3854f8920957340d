import { checkTaxNo, INVOICE_TYPES, isLocalDate, isPeriod, tryParseMoney } from '@lib/domain';
import { z } from 'zod';

/** Money: a decimal string with at most 2 places, checked by the domain parser (codes MONEY_FORMAT, MONEY_TOO_PRECISE, MONEY_OUT_OF_RANGE). */
export const moneySchema = z
  .string()
  .superRefine((value, ctx) => {
    const result = tryParseMoney(value);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.message, params: { code: result.code } });
  })
  .meta({
    description: 'decimal string of yuan, at most 2 places, never a JSON number',
    examples: ['4483.22', '-56.60'],
  });

/** ISO-8601 timestamp with offset (`Z` or `±hh:mm`), e.g. 2025-03-12T10:15:00+08:00. */
export const timestampSchema = z.iso.datetime({
  offset: true,
  error: 'must be an ISO-8601 timestamp with offset, e.g. 2025-03-12T10:15:00+08:00',
});

export const uuidSchema = z.uuid({ error: 'must be a UUID' });

/** A tax period `YYYY-MM`. */
export const periodSchema = z
  .string()
  .refine(isPeriod, { message: 'must be a period YYYY-MM', params: { code: 'INVALID_FORMAT' } });

/** A calendar date `YYYY-MM-DD` that exists. */
export const localDateSchema = z
  .string()
  .refine(isLocalDate, { message: 'must be a date YYYY-MM-DD', params: { code: 'INVALID_FORMAT' } });

/** A taxpayer id that may be registered: a USCC (even with a wrong check digit: real ones exist) or a legacy id. */
export const taxNoSchema = z
  .string()
  .max(20)
  .refine((value) => checkTaxNo(value).status !== 'invalid-format', {
    message: 'must be an 18-character USCC or a legacy 15/17/20-character taxpayer id',
    params: { code: 'INVALID_TAX_NO' },
  });

/** A device's number at the authority (机器编号 / 税控设备编号), which its clear-card status is keyed by. */
export const DEVICE_NO_PATTERN = /^[0-9A-Za-z-]{1,32}$/;
export const deviceNoSchema = z.string().refine((value) => DEVICE_NO_PATTERN.test(value), {
  message: 'must be 1-32 characters of 0-9, A-Z, a-z and -',
  params: { code: 'INVALID_DEVICE_NO' },
});

/** Identifiers we hand out or receive (device, branch, finding, run): 1-64 printable characters. */
export const idSchema = z.string().min(1).max(64);

export const invoiceTypeSchema = z.enum(INVOICE_TYPES);

/** Free text such as names: 1..max characters. */
export function textSchema(max: number) {
  return z.string().min(1).max(max);
}
