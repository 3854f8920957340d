import { z } from 'zod';

/** Reusable parsers for environment variables (strings in, typed values out). */
export const envInt = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      if (!/^-?\d+$/.test(raw.trim())) {
        ctx.addIssue({ code: 'custom', message: 'must be an integer' });
        return z.NEVER;
      }
      const value = Number(raw);
      if (value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `must be between ${min} and ${max}` });
        return z.NEVER;
      }
      return value;
    });

export const envBool = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      ctx.addIssue({ code: 'custom', message: 'must be true or false' });
      return z.NEVER;
    });

export const envString = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((raw) => (raw === undefined || raw.trim() === '' ? fallback : raw.trim()));

export const envList = (fallback: string[]) =>
  z
    .string()
    .optional()
    .transform((raw) =>
      raw === undefined || raw.trim() === ''
        ? fallback
        : raw
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    );

export const envUrl = (fallback: string) =>
  envString(fallback).pipe(z.url({ message: 'must be a URL' }));

export const envLogLevel = () =>
  envString('info').pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']));
