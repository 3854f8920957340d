import type { IHeaders } from 'kafkajs';

/** The part of the event envelope the consumer machinery relies on. */
export interface EnvelopeLike {
  id: string;
  type: string;
  [field: string]: unknown;
}

export type DecodeResult<E extends EnvelopeLike = EnvelopeLike> =
  { ok: true; envelope: E } | { ok: false; code: string; message: string };

/** Turns raw Kafka bytes into a validated envelope of type E, or says why it cannot. Must never throw. */
export type MessageDecoder<E extends EnvelopeLike = EnvelopeLike> = (
  topic: string,
  value: Buffer | null,
  headers: Record<string, string>,
) => DecodeResult<E>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Minimal decoder: JSON with a UUID `id` and a `type`. Apps pass the contracts' schema-checking decoder. */
export const jsonEnvelopeDecoder: MessageDecoder = (_topic, value) => {
  if (!value) return { ok: false, code: 'EMPTY_MESSAGE', message: 'message has no value' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return { ok: false, code: 'BAD_JSON', message: (error as Error).message };
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return { ok: false, code: 'SCHEMA_VIOLATION', message: 'envelope is not an object' };
  }
  const { id, type } = parsed as { id?: unknown; type?: unknown };
  if (typeof id !== 'string' || !UUID.test(id))
    return { ok: false, code: 'SCHEMA_VIOLATION', message: 'id must be a UUID' };
  if (typeof type !== 'string' || type === '')
    return { ok: false, code: 'SCHEMA_VIOLATION', message: 'type is required' };
  return { ok: true, envelope: parsed as EnvelopeLike };
};

export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.map(String).join(',') : value.toString();
  }
  return out;
}
