import { connect, Socket } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { testKafkaBrokers } from '@lib/testing';

/**
 * A kafkajs client whose every connection (bootstrap and the brokers it discovers) goes through a switch. down()
 * kills the open connections and sends new ones to a port where nothing listens: for this client the cluster is
 * unreachable, while the broker itself keeps running for everyone else (the test's own consumer included).
 */
export class FaultyKafka {
  private up = true;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly deadPort: number) {}

  readonly kafka = new Kafka({
    clientId: 'gateway-under-fault',
    brokers: testKafkaBrokers(),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { initialRetryTime: 200, retries: 3, maxRetryTime: 1_000 },
    socketFactory: ({ host, port, onConnect }) => {
      const socket = this.up
        ? connect({ host, port }, onConnect)
        : connect({ host: '127.0.0.1', port: this.deadPort }, onConnect);
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      return socket;
    },
  });

  down(): void {
    this.up = false;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.up = true;
  }
}
