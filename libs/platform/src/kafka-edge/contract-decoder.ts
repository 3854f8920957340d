import { isTopic, parseEnvelope } from '@lib/contracts';
import { EnvelopeLike, MessageDecoder } from '@lib/messaging';
import { markChecked } from './checked-envelope';

/**
 * The consumer's decoder, and the one place a consumed message is checked: against the contract of its (logical)
 * topic, so a handler (`@OnTopic`) only ever sees well-formed data and anything else is dead-lettered with its reason.
 */
export function contractDecoder(logicalOf: (physicalTopic: string) => string): MessageDecoder {
  return (physicalTopic, value) => {
    const topic = logicalOf(physicalTopic);
    if (!isTopic(topic))
      return { ok: false, code: 'UNKNOWN_TOPIC', message: `no contract for topic ${topic}` };
    if (!value) return { ok: false, code: 'BAD_JSON', message: 'message has no value' };
    const result = parseEnvelope(topic, value);
    if (result.ok) {
      const envelope: EnvelopeLike = { ...result.envelope };
      markChecked(topic, envelope);
      return { ok: true, envelope };
    }
    const details = result.error.details.map((d) => `${d.field}: ${d.message}`).join('; ');
    return {
      ok: false,
      code: result.error.code,
      message: details ? `${result.error.message} (${details})` : result.error.message,
    };
  };
}
