import { randomUUID } from 'node:crypto';
import { FieldError } from '../errors/field-error.model';
import { toFieldErrors } from '../errors/zod-issue.mapper';
import { catalogueEntry, EVENT_CATALOGUE, EventDataInput, EventType, isEventType } from './event.catalogue';
import { EventEnvelope, envelopeSchema, TopicEnvelope } from './envelope.schema';
import { HEADER_EVENT_ID, HEADER_EVENT_TYPE, HEADER_TRACEPARENT } from './headers.constants';
import { Topic } from './topics.constants';

export type EnvelopeErrorCode = 'BAD_JSON' | 'SCHEMA_VIOLATION' | 'UNKNOWN_EVENT_TYPE';

export interface EnvelopeError {
  code: EnvelopeErrorCode;
  message: string;
  details: FieldError[];
  /** Read from the message when possible, for the DLQ record and logs. */
  id: string | null;
  type: string | null;
}

export type ParseEnvelopeResult<P extends Topic> =
  { ok: true; envelope: TopicEnvelope<P> } | { ok: false; error: EnvelopeError };

/**
 * Reads a consumed message. Never throws: a message that cannot be processed comes back as an error whose code tells
 * the consumer to dead-letter it. Accepts the raw bytes, a string (Nest hands over the string when JSON is bad), or an
 * already parsed object.
 */
export function parseEnvelope<P extends Topic>(topic: P, raw: unknown): ParseEnvelopeResult<P> {
  const decoded = decode(raw);
  if (!decoded.ok) return failure('BAD_JSON', decoded.message, [], null);
  const value = decoded.value;
  const base = envelopeSchema.safeParse(value);
  if (!base.success) {
    return failure(
      'SCHEMA_VIOLATION',
      'the message is not a valid envelope',
      toFieldErrors(base.error.issues, { input: value }),
      value,
    );
  }
  const { type, version } = base.data;
  if (!isEventType(type) || EVENT_CATALOGUE[type].topic !== topic) {
    return failure('UNKNOWN_EVENT_TYPE', `"${type}" is not an event type of ${topic}`, [], value);
  }
  const entry = catalogueEntry(type);
  if (version > entry.version) {
    return failure(
      'UNKNOWN_EVENT_TYPE',
      `version ${version} of ${type} is newer than this consumer knows (${entry.version})`,
      [],
      value,
    );
  }
  const data = entry.data.safeParse(base.data.data);
  if (!data.success) {
    const details = toFieldErrors(data.error.issues, { prefix: 'data', input: base.data.data });
    return failure('SCHEMA_VIOLATION', `the data does not match ${type} v${entry.version}`, details, value);
  }
  return { ok: true, envelope: { ...base.data, type, data: data.data } as TopicEnvelope<P> };
}

/** Thrown by `buildEnvelope` when a producer hands over data that breaks its own contract: a bug, not bad input. */
export class ContractViolationException extends Error {
  readonly code = 'SCHEMA_VIOLATION';
  readonly retriable = false;

  constructor(
    message: string,
    readonly details: FieldError[],
  ) {
    super(message);
    this.name = 'ContractViolationException';
  }
}

export interface BuildEnvelopeOptions {
  source: string;
  occurredAt: Date | string;
  /** Defaults to a new UUID; pass the client's eventId for invoice and device events. */
  id?: string;
  /** Defaults to the current time. */
  producedAt?: Date | string;
}

/** Builds a validated envelope (defaults applied); throws ContractViolationException if the data breaks the schema. */
export function buildEnvelope<T extends EventType>(
  type: T,
  data: EventDataInput<T>,
  options: BuildEnvelopeOptions,
): EventEnvelope<T> {
  const entry = catalogueEntry(type);
  const candidate = {
    id: options.id ?? randomUUID(),
    type,
    version: entry.version,
    occurredAt: iso(options.occurredAt),
    producedAt: iso(options.producedAt ?? new Date()),
    source: options.source,
    data,
  };
  const base = envelopeSchema.safeParse(candidate);
  if (!base.success) {
    throw new ContractViolationException(
      `invalid ${type} envelope`,
      toFieldErrors(base.error.issues, { input: candidate }),
    );
  }
  const parsed = entry.data.safeParse(data);
  if (!parsed.success) {
    const details = toFieldErrors(parsed.error.issues, { prefix: 'data', input: data });
    throw new ContractViolationException(
      `invalid ${type} data: ${details.map((d) => `${d.field} ${d.code}`).join(', ')}`,
      details,
    );
  }
  return { ...candidate, data: parsed.data } as EventEnvelope<T>;
}

export interface KafkaMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** The message to produce: partition key per topic rule, JSON value, and the standard headers. */
export function toKafkaMessage(envelope: EventEnvelope, traceparent?: string): KafkaMessage {
  const headers: Record<string, string> = {
    [HEADER_EVENT_ID]: envelope.id,
    [HEADER_EVENT_TYPE]: envelope.type,
  };
  if (traceparent) headers[HEADER_TRACEPARENT] = traceparent;
  return { key: partitionKeyOf(envelope), value: JSON.stringify(envelope), headers };
}

export function partitionKeyOf(envelope: EventEnvelope): string {
  return catalogueEntry(envelope.type).key(envelope.data);
}

function decode(raw: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  let text: string;
  if (raw === null || raw === undefined) return { ok: false, message: 'empty message' };
  if (Buffer.isBuffer(raw) || raw instanceof Uint8Array) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      return { ok: false, message: 'the message is not UTF-8' };
    }
  } else if (typeof raw === 'string') {
    text = raw;
  } else {
    return { ok: true, value: raw };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `not JSON: ${(error as Error).message}` };
  }
}

function failure(
  code: EnvelopeErrorCode,
  message: string,
  details: FieldError[],
  value: unknown,
): { ok: false; error: EnvelopeError } {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const text = (v: unknown) => (typeof v === 'string' && v.length <= 100 ? v : null);
  return { ok: false, error: { code, message, details, id: text(record.id), type: text(record.type) } };
}

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : value;
}
