import { z } from 'zod';
import { formatPath, toFieldErrors } from './zod-issue.mapper';
import { errorBody, FIELD_ERROR_CODES, VALIDATION_CODE_CATALOGUE } from './field-error.model';

const schema = z.object({
  name: z.string().min(2).max(5),
  kind: z.enum(['a', 'b']),
  items: z
    .array(z.object({ n: z.number().int().min(0).max(9) }))
    .min(1)
    .max(2),
  when: z.iso.datetime({ offset: true, error: 'must be a timestamp' }),
  custom: z.string().refine((v) => v === 'ok', { message: 'not ok', params: { code: 'MY_CODE' } }),
  plain: z.string().refine((v) => v === 'ok', { message: 'plain refine' }),
  either: z.union([z.string(), z.number()]),
});
const good = {
  name: 'abc',
  kind: 'a',
  items: [{ n: 1 }],
  when: '2025-03-12T10:15:00+08:00',
  custom: 'ok',
  plain: 'ok',
  either: 1,
};

function errorsFor(input: unknown, prefix?: string) {
  const result = schema.safeParse(input);
  if (result.success) return [];
  return toFieldErrors(result.error.issues, { input, prefix });
}

describe('toFieldErrors', () => {
  it.each([
    [{ name: undefined }, 'REQUIRED', 'name'],
    [{ name: 5 }, 'INVALID_TYPE', 'name'],
    [{ name: null }, 'INVALID_TYPE', 'name'],
    [{ name: 'abcdef' }, 'TOO_LONG', 'name'],
    [{ name: 'a' }, 'TOO_SHORT', 'name'],
    [{ kind: 'c' }, 'INVALID_ENUM', 'kind'],
    [{ items: [] }, 'TOO_FEW_ITEMS', 'items'],
    [{ items: [{ n: 1 }, { n: 2 }, { n: 3 }] }, 'TOO_MANY_ITEMS', 'items'],
    [{ items: [{ n: 1 }, { n: 10 }] }, 'TOO_LARGE', 'items[1].n'],
    [{ items: [{ n: -1 }] }, 'TOO_SMALL', 'items[0].n'],
    [{ items: [{ n: 1.5 }] }, 'INVALID_TYPE', 'items[0].n'],
    [{ when: '2025-03-12T10:15:00' }, 'INVALID_FORMAT', 'when'],
    [{ custom: 'no' }, 'MY_CODE', 'custom'],
    [{ plain: 'no' }, 'INVALID_VALUE', 'plain'],
    [{ either: true }, 'INVALID_TYPE', 'either'],
  ])('maps %j to %s at %s', (patch, code, field) => {
    const errors = errorsFor({ ...good, ...patch });
    expect(errors).toEqual([expect.objectContaining({ code, field })]);
  });

  it('says what it expected and what it got', () => {
    expect(errorsFor({ ...good, name: 5 })[0].message).toBe('expected string, received number');
    expect(errorsFor({ ...good, name: [] })[0].message).toBe('expected string, received array');
    expect(errorsFor({ ...good, name: 'abcdef' })[0].message).toBe('must be at most 5 characters long');
    expect(errorsFor({ ...good, kind: 'c' })[0].message).toBe('must be one of "a", "b"');
    expect(errorsFor({ ...good, when: 'x' })[0].message).toBe('must be a timestamp');
    expect(errorsFor({ ...good, custom: 'no' })[0].message).toBe('not ok');
  });

  it('prefixes paths and names the root', () => {
    expect(errorsFor({ ...good, name: 5 }, 'invoices[3]')[0].field).toBe('invoices[3].name');
    expect(errorsFor(null)).toEqual([
      { code: 'INVALID_TYPE', field: '$', message: 'expected object, received null' },
    ]);
    expect(errorsFor(undefined)[0]).toMatchObject({ code: 'REQUIRED', field: '$' });
  });

  it('falls back to the message to detect a missing field when no input is given', () => {
    const result = schema.safeParse({ ...good, name: undefined });
    expect(result.success).toBe(false);
    if (!result.success) expect(toFieldErrors(result.error.issues)[0].code).toBe('REQUIRED');
  });
});

describe('formatPath', () => {
  it('writes JSON-path-like fields', () => {
    expect(formatPath(['invoices', 3, 'invoice', 'lines', 0, 'amount'])).toBe(
      'invoices[3].invoice.lines[0].amount',
    );
    expect(formatPath([0, 'a'])).toBe('[0].a');
    expect(formatPath(['weird key', 'x'])).toBe('["weird key"].x');
    expect(formatPath([], 'invoices[1]')).toBe('invoices[1]');
    expect(formatPath([])).toBe('$');
  });
});

describe('error body and code catalogue', () => {
  it('builds the HTTP error body', () => {
    expect(
      errorBody('VALIDATION_FAILED', 'bad body', [
        { code: 'REQUIRED', field: 'taxNo', message: 'is required' },
      ]),
    ).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'bad body',
        details: [{ code: 'REQUIRED', field: 'taxNo', message: 'is required' }],
      },
    });
    expect(errorBody('RATE_LIMITED', 'slow down').error.details).toEqual([]);
  });

  it('lists shape and business codes together, all UPPER_SNAKE', () => {
    expect(Object.keys(VALIDATION_CODE_CATALOGUE)).toEqual(
      expect.arrayContaining(['REQUIRED', 'TOO_MANY_ITEMS', 'SELLER_MISMATCH', 'LINE_TAX_MISMATCH']),
    );
    expect(VALIDATION_CODE_CATALOGUE.TAX_NO_CHECK_DIGIT.severity).toBe('warning');
    expect(VALIDATION_CODE_CATALOGUE.REQUIRED.severity).toBe('error');
    Object.keys(VALIDATION_CODE_CATALOGUE).forEach((code) => expect(code).toMatch(/^[A-Z]+(_[A-Z0-9]+)*$/));
    expect(Object.keys(FIELD_ERROR_CODES)).toHaveLength(16);
  });
});
