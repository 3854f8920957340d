/** Broker answers to a produce request that say a record batch is too large to append, whatever the retries. */
export const TOO_LARGE_ERROR_TYPES = ['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE'] as const;

export type TooLargeErrorType = (typeof TOO_LARGE_ERROR_TYPES)[number];

/**
 * The type of the "too large" answer behind a failed send, or undefined for any other failure. kafkajs throws the
 * broker's KafkaJSProtocolError itself or wraps it (a non-retriable or retries-exceeded error with a `cause`).
 */
export function tooLargeErrorType(error: unknown): TooLargeErrorType | undefined {
  const seen = new Set<unknown>();
  for (
    let e = error as { type?: unknown; cause?: unknown } | null;
    e && !seen.has(e);
    e = e.cause as typeof e
  ) {
    seen.add(e);
    const type = TOO_LARGE_ERROR_TYPES.find((t) => t === e?.type);
    if (type) return type;
  }
  return undefined;
}
