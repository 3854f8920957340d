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
