import { isTopic, parseEnvelope } from '@lib/contracts';
import { EnvelopeLike, MessageDecoder } from '@lib/messaging';

/**
 * The consumer's decoder: validates every message against the contract of its (logical) topic, so
 * a handler only ever sees well-formed data and anything else is dead-lettered with its reason.
 */
export function contractDecoder(logicalOf: (physicalTopic: string) => string): MessageDecoder {
  return (physicalTopic, value) => {
    const topic = logicalOf(physicalTopic);
    if (!isTopic(topic))
      return { ok: false, code: 'UNKNOWN_TOPIC', message: `no contract for topic ${topic}` };
    if (!value) return { ok: false, code: 'BAD_JSON', message: 'message has no value' };
    const result = parseEnvelope(topic, value);
    if (result.ok) return { ok: true, envelope: result.envelope as unknown as EnvelopeLike };
    const details = result.error.details.map((d) => `${d.field}: ${d.message}`).join('; ');
    return {
      ok: false,
      code: result.error.code,
      message: details ? `${result.error.message} (${details})` : result.error.message,
    };
  };
}
