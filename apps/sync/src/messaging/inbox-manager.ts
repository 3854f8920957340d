import { EntityManager } from 'typeorm';
import { KafkaInboxContext } from '@lib/messaging';

/**
 * The inbox transaction of a handler's context. Nest types the extra handler arguments as `unknown`,
 * so the context is checked here rather than cast: a handler wired to another transport fails loudly.
 */
export function inboxManager(context: unknown): EntityManager {
  if (!(context instanceof KafkaInboxContext)) throw new Error('sync handlers run on the KafkaInboxServer transport only');
  return context.getManager();
}
