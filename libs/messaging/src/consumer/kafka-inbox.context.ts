import { BaseRpcContext } from '@nestjs/microservices';
import { EntityManager } from 'typeorm';
import { IncomingMessage } from './consumer-runner';

/** What a Kafka handler gets besides the envelope: the message metadata and the open transaction. */
export class KafkaInboxContext extends BaseRpcContext<[IncomingMessage, EntityManager]> {
  getMessage(): IncomingMessage {
    return this.args[0];
  }

  /** Write through this manager: its transaction also holds the inbox row, and commits before the offset. */
  getManager(): EntityManager {
    return this.args[1];
  }
}

/**
 * The inbox transaction of a handler's context. Nest types the extra handler arguments as `unknown`, so the context is
 * checked rather than cast: a handler wired to another transport fails loudly.
 */
export function inboxManager(context: unknown): EntityManager {
  if (!(context instanceof KafkaInboxContext))
    throw new Error('Kafka handlers run on the KafkaInboxServer transport only');
  return context.getManager();
}
