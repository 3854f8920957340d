import { AppError } from '@lib/common';
import { parseEnvelope, Topic, TopicEnvelope } from '@lib/contracts';

/** Validates a consumed message with the contracts' schemas; a message that breaks them is poison (DLQ). */
export function decodeEnvelope<P extends Topic>(topic: P, raw: unknown): TopicEnvelope<P> {
  const parsed = parseEnvelope(topic, raw);
  if (!parsed.ok) {
    throw new AppError(parsed.error.code, 'validation', parsed.error.message, {
      details: parsed.error.details.map((d) => ({ code: d.code, field: d.field, message: d.message })),
    });
  }
  return parsed.envelope;
}
