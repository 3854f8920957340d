import { z } from 'zod';
import { FieldError, FieldErrorCode } from './field-error.model';

type Issue = z.core.$ZodIssue;

export interface MapIssuesOptions {
  /** Prepended to every path, e.g. `invoices[3]`. */
  prefix?: string;
  /** The value that was validated: used to tell a missing field (REQUIRED) from a wrong one (INVALID_TYPE). */
  input?: unknown;
}

/** Turns zod issues into our `{code, field, message}` errors with stable UPPER_SNAKE codes and readable paths. */
export function toFieldErrors(issues: readonly Issue[], options: MapIssuesOptions = {}): FieldError[] {
  return issues.map((issue) => {
    const path = issue.path as readonly PropertyKey[];
    const value = options.input === undefined ? undefined : valueAt(options.input, path);
    const missing =
      options.input === undefined ? /received undefined/.test(issue.message) : value === undefined;
    const { code, message } = describe(issue, missing, value);
    return { code, field: formatPath(path, options.prefix), message };
  });
}

/** `['invoices', 3, 'invoice', 'lines', 0, 'amount']` → `invoices[3].invoice.lines[0].amount`; the root is `$`. */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || '$';
}

function describe(issue: Issue, missing: boolean, value: unknown): { code: string; message: string } {
  switch (issue.code) {
    case 'invalid_type':
      return missing
        ? { code: 'REQUIRED', message: 'is required' }
        : { code: 'INVALID_TYPE', message: `expected ${issue.expected}, received ${typeName(value)}` };
    case 'too_big':
      return sized(issue.origin, 'TOO_LONG', 'TOO_MANY_ITEMS', 'TOO_LARGE', `at most ${issue.maximum}`);
    case 'too_small':
      return sized(issue.origin, 'TOO_SHORT', 'TOO_FEW_ITEMS', 'TOO_SMALL', `at least ${issue.minimum}`);
    case 'invalid_format':
      return { code: 'INVALID_FORMAT', message: issue.message || `must be a valid ${issue.format}` };
    case 'invalid_value':
      return {
        code: 'INVALID_ENUM',
        message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'invalid_union':
      return { code: 'INVALID_TYPE', message: 'does not match any allowed shape' };
    case 'custom': {
      const code = (issue.params as { code?: unknown } | undefined)?.code;
      return { code: typeof code === 'string' ? code : 'INVALID_VALUE', message: issue.message };
    }
    default:
      return { code: 'INVALID_VALUE', message: issue.message };
  }
}

function sized(
  origin: string,
  text: FieldErrorCode,
  list: FieldErrorCode,
  number: FieldErrorCode,
  bound: string,
) {
  if (origin === 'string') return { code: text, message: `must be ${bound} characters long` };
  if (origin === 'array' || origin === 'set') return { code: list, message: `must have ${bound} items` };
  return { code: number, message: `must be ${bound}` };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
