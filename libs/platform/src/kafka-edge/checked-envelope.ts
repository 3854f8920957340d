import { AppError } from '@lib/common';
import { Topic, TopicEnvelope } from '@lib/contracts';
import { PlatformErrorCode } from '../platform-error-codes';

/**
 * Every envelope the contract decoder accepted, with the topic whose contract it was checked against. Held weakly, so
 * an entry lives exactly as long as its message. It is what lets the edge hand a handler a typed envelope without a
 * second parse, and refuse whatever did not come through that one check.
 */
const checked = new WeakMap<object, Topic>();

/** Called by the contract decoder, and only by it, once a message has passed its topic's contract. */
export function markChecked(topic: Topic, envelope: object): void {
  checked.set(envelope, topic);
}

/**
 * The envelope as the transport's contract decoder checked it for `topic`. Anything else (a transport wired with
 * another decoder, a message checked for another topic) is a wiring bug: refused, so it never reaches the handler.
 */
export function checkedEnvelope<P extends Topic>(topic: P, value: unknown): TopicEnvelope<P> {
  if (!isCheckedFor(topic, value))
    throw new AppError(
      PlatformErrorCode.UNCHECKED_ENVELOPE,
      'internal',
      `a handler of ${topic} was given a message the contract decoder did not check for that topic`,
    );
  return value;
}

function isCheckedFor<P extends Topic>(topic: P, value: unknown): value is TopicEnvelope<P> {
  return typeof value === 'object' && value !== null && checked.get(value) === topic;
}
