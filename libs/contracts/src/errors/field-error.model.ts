import { INVOICE_ISSUE_CATALOGUE } from '@lib/domain';

/** One problem with one field of a request or message. `field` is a JSON-path-like location: `invoices[3].invoice.lines[0].amount`. */
export interface FieldError {
  code: string;
  field: string;
  message: string;
}

/** Every non-2xx HTTP body: `{"error": {"code", "message", "details"}}`. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    details: ReadonlyArray<FieldError | Record<string, unknown>>;
  };
}

export function errorBody(
  code: string,
  message: string,
  details: ErrorBody['error']['details'] = [],
): ErrorBody {
  return { error: { code, message, details } };
}

/** Codes for shape errors (produced from schema validation), stable across releases. */
export const FIELD_ERROR_CODES = {
  REQUIRED: 'a required field is missing',
  INVALID_TYPE: 'the value has the wrong JSON type',
  INVALID_FORMAT: 'the value does not have the expected format',
  INVALID_ENUM: 'the value is not one of the allowed values',
  INVALID_VALUE: 'the value is not acceptable',
  TOO_LONG: 'the text is too long',
  TOO_SHORT: 'the text is too short',
  TOO_MANY_ITEMS: 'the list has too many items',
  TOO_FEW_ITEMS: 'the list has too few items',
  TOO_LARGE: 'the number is too large',
  TOO_SMALL: 'the number is too small',
  DUPLICATE_VALUE: 'the value appears more than once where it must be unique',
  INVALID_TAX_NO: 'not a taxpayer id (18-character USCC, or a legacy 15/17/20-character id)',
  MONEY_FORMAT: 'not a decimal amount: digits, an optional minus and up to 2 decimals',
  MONEY_TOO_PRECISE: 'an amount has at most 2 decimal places',
  MONEY_OUT_OF_RANGE: 'the amount exceeds 16 digits before the point',
} as const;

export type FieldErrorCode = keyof typeof FIELD_ERROR_CODES;

/** Everything an item of `POST /v1/invoices` can be answered with, shape and business rules together (for API docs). */
export const VALIDATION_CODE_CATALOGUE: Readonly<
  Record<string, { severity: 'error' | 'warning'; message: string }>
> = {
  ...Object.fromEntries(
    Object.entries(FIELD_ERROR_CODES).map(([code, message]) => [code, { severity: 'error', message }]),
  ),
  ...INVOICE_ISSUE_CATALOGUE,
};
