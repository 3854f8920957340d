import type { FormInstance } from 'antd';
import { ApiError } from '../api/api-error';

interface Detail {
  code?: string;
  field?: string;
  message?: string;
}

/**
 * Puts a refusal's details (`INVALID_VALUE` per zod issue, a rule's own code) on the form fields they name, each with its
 * code, so the person sees where and why; `words` gives a detail code the page's own words (else the service's message).
 * Details naming no field of the form are left to the notification that reports the error.
 */
export function showFieldErrors<V>(
  form: FormInstance<V>,
  fields: readonly string[],
  error: unknown,
  words: (code: string) => string | undefined = () => undefined,
): void {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return;
  const known = new Set(fields);
  form.setFields(
    (error.details as Detail[])
      .map((d) => ({ name: (d.field ?? '').replace(/^body\./, ''), d }))
      .filter(({ name }) => known.has(name))
      .map(({ name, d }) => ({
        name: name as never,
        errors: [`${(d.code && words(d.code)) || d.message || ''} (${d.code ?? error.code})`],
      })),
  );
}
