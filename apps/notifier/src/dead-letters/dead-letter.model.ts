import { createHash } from 'node:crypto';
import { DLQ_HEADERS, KAFKA_HEADERS } from '@lib/contracts';

/** One message seen in a `<topic>.dlq` topic, as the dead-letter publisher described it in its headers. */
export interface DeadLetterArrival {
  /** Stable over redeliveries and repeated dead-lettering of the same message (see deadLetterIdOf). */
  id: string;
  /** The logical DLQ topic (without the topic prefix). */
  dlqTopic: string;
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: string | null;
  consumerGroup: string | null;
  errorCode: string;
  errorMessage: string | null;
  eventId: string | null;
  eventType: string | null;
  failedAt: Date | null;
}

export const UNKNOWN_ERROR_CODE = 'UNKNOWN';

/** Header names as libs/messaging's dead-letter publisher writes them (it uses the contract's DLQ_HEADERS). */
const NAMES = {
  sourceTopic: [DLQ_HEADERS.sourceTopic],
  sourcePartition: [DLQ_HEADERS.sourcePartition],
  sourceOffset: [DLQ_HEADERS.sourceOffset],
  consumerGroup: [DLQ_HEADERS.consumerGroup],
  errorCode: [DLQ_HEADERS.errorCode],
  errorMessage: [DLQ_HEADERS.errorMessage],
  failedAt: [DLQ_HEADERS.failedAt],
  eventId: [KAFKA_HEADERS.eventId],
  eventType: [KAFKA_HEADERS.eventType],
} as const;

function header(headers: Record<string, string>, field: keyof typeof NAMES, max: number): string | null {
  for (const name of NAMES[field]) {
    const value = headers[name]?.trim();
    if (value) return value.slice(0, max);
  }
  return null;
}

/** A hash laid out as a UUID: the inbox keys messages by UUID. */
function uuidOf(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The same source message dead-lettered twice by the same group (a crash between the DLQ write and the offset
 * commit) is one arrival: its source coordinates identify it. Without them, the whole record does.
 */
export function deadLetterIdOf(
  dlqTopic: string,
  headers: Record<string, string>,
  value: Buffer | null,
): string {
  const topic = header(headers, 'sourceTopic', 300);
  const partition = header(headers, 'sourcePartition', 20);
  const offset = header(headers, 'sourceOffset', 30);
  if (topic && partition && offset) {
    return uuidOf(
      [dlqTopic, topic, partition, offset, header(headers, 'consumerGroup', 300) ?? ''].join('\n'),
    );
  }
  const sorted = Object.keys(headers)
    .sort()
    .map((k) => `${k}=${headers[k]}`);
  return uuidOf([dlqTopic, ...sorted, value?.toString('base64') ?? ''].join('\n'));
}

function eventIdOfValue(value: Buffer | null): string | null {
  try {
    const id = (JSON.parse(value?.toString('utf8') ?? 'null') as { id?: unknown } | null)?.id;
    return typeof id === 'string' && id ? id.slice(0, 100) : null;
  } catch {
    return null;
  }
}

const toInt = (value: string | null): number | null =>
  value !== null && /^\d{1,9}$/.test(value) ? Number(value) : null;

function toDate(value: string | null): Date | null {
  const at = value ? new Date(value) : null;
  return at && !Number.isNaN(at.getTime()) ? at : null;
}

/** Reads what the headers say; never throws (a DLQ record is whatever some producer wrote). */
export function readDeadLetter(
  dlqTopic: string,
  headers: Record<string, string>,
  value: Buffer | null,
): DeadLetterArrival {
  const offset = header(headers, 'sourceOffset', 30);
  return {
    id: deadLetterIdOf(dlqTopic, headers, value),
    dlqTopic,
    sourceTopic: header(headers, 'sourceTopic', 300),
    sourcePartition: toInt(header(headers, 'sourcePartition', 20)),
    sourceOffset: offset && /^\d{1,18}$/.test(offset) ? offset : null,
    consumerGroup: header(headers, 'consumerGroup', 300),
    errorCode: header(headers, 'errorCode', 64) ?? UNKNOWN_ERROR_CODE,
    errorMessage: header(headers, 'errorMessage', 2000),
    eventId: header(headers, 'eventId', 100) ?? eventIdOfValue(value),
    eventType: header(headers, 'eventType', 100),
    failedAt: toDate(header(headers, 'failedAt', 40)),
  };
}

/** The window an arrival is counted in (aligned to the epoch, like digest windows). */
export function windowStartOf(at: Date, windowMs: number): Date {
  return new Date(Math.floor(at.getTime() / windowMs) * windowMs);
}

/** The notifications' `finding_id` of a window's alert: what the delivery log filters on. */
export const deadLetterWindowRef = (windowStart: Date): string => `dlq@${windowStart.toISOString()}`;

export function windowOfRef(ref: string | null): Date | null {
  return ref?.startsWith('dlq@') ? toDate(ref.slice(4)) : null;
}
