import type { Server } from 'node:net';

/**
 * A listening server that can stop accepting connections (so clients get "connection refused") and
 * later listen again on the same port: the "refuse" outage mode.
 */
export class ManagedServer {
  private port = 0;
  private listening = false;

  constructor(
    private readonly server: Server,
    private readonly host: string,
    private readonly dropConnections: () => void,
  ) {}

  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, this.host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    this.listening = true;
    return this.port;
  }

  /** Stops accepting and drops open connections; resolves once the port is released. */
  async pause(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.dropConnections();
    await closed;
  }

  async resume(): Promise<void> {
    if (this.listening) return;
    await this.listen(this.port);
  }

  async close(): Promise<void> {
    await this.pause();
  }
}
