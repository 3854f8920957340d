import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { EntityManager } from 'typeorm';
import { Topic, TopicEnvelope } from '@lib/contracts';
import { inboxManager } from '@lib/messaging';
import { checkedEnvelope } from './checked-envelope';

/**
 * A Kafka handler: the envelope of its topic, as the transport's contract decoder checked it, and the inbox
 * transaction to write through (it commits before the offset; docs/messaging.md).
 */
export type TopicHandler<P extends Topic> = (
  envelope: TopicEnvelope<P>,
  manager: EntityManager,
) => Promise<void>;

const CheckedEnvelope = createParamDecorator((topic: Topic, context: ExecutionContext) =>
  checkedEnvelope(topic, context.switchToRpc().getData()),
);

const InboxTransaction = createParamDecorator((_: unknown, context: ExecutionContext) =>
  inboxManager(context.switchToRpc().getContext()),
);

/**
 * Subscribes a method to `topic` on the KafkaInboxServer transport and hands it `(envelope, manager)`: the typed
 * envelope and its transaction. The method's type must be `TopicHandler<P>` for that very topic, or the decorator does
 * not compile, so a handler cannot claim another topic's data. Nothing is parsed here: the decoder already checked the
 * message (what failed went to the DLQ) and marked it; an envelope without that mark for this topic is refused.
 */
export function OnTopic<P extends Topic>(topic: P) {
  return (
    target: object,
    method: string | symbol,
    descriptor: TypedPropertyDescriptor<TopicHandler<P>>,
  ): void => {
    EventPattern<P>(topic)(target, method, descriptor);
    CheckedEnvelope(topic)(target, method, 0);
    InboxTransaction()(target, method, 1);
  };
}
