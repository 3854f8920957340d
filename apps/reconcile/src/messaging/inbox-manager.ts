import { EntityManager } from 'typeorm';
import { KafkaInboxContext } from '@lib/messaging';

/** The inbox transaction of a handler's context; a handler wired to another transport fails loudly. */
export function inboxManager(context: unknown): EntityManager {
  if (!(context instanceof KafkaInboxContext)) throw new Error('reconcile handlers run on the KafkaInboxServer transport only');
  return context.getManager();
}
