import { createServer } from 'node:net';

// Ports handed to child processes are drawn below the kernel's ephemeral range (32768-60999 on Linux): a port the
// OS picks for `listen(0)` and that we free again can be taken by any outgoing connection (a Kafka or PostgreSQL
// client) before the child binds it, which made a service exit with EADDRINUSE now and then. Below that range only
// another listener can take it. A random start spreads concurrent test processes; this process never hands out a
// port twice.
const RANGE = { from: 20_000, to: 32_000 };
const handedOut = new Set<number>();

/** A loopback port that is free now, outside the ephemeral range, and not handed out before by this process. */
export async function freePort(): Promise<number> {
  const span = RANGE.to - RANGE.from;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = RANGE.from + ((start + i) % span);
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port between ${RANGE.from} and ${RANGE.to}`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
