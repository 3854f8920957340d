import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { waitForExit } from '../../test/support/child-process';

const ROOT = resolve(__dirname, '../..');
const running = new Set<ChildProcess>();

// A benchmark that dies (error, Ctrl-C, timeout) must not leave gateways running against its schema.
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

export interface GatewayProcessOptions {
  port: number;
  env: Record<string, string>;
  /** Write a V8 CPU profile of the gateway into this directory (node --cpu-prof). */
  cpuProfileDir?: string;
}

/**
 * The gateway in its own process, as in production: from the sources through the test loader, or from dist/ with
 * BENCH_DIST=1 after `npm run build` (a stale build would measure old code, so never by default). Its CPU is then its
 * own, not shared with the load generator's event loop.
 */
export function startGateway(options: GatewayProcessOptions): { child: ChildProcess; entry: string } {
  const built = resolve(ROOT, 'dist/apps/device-gateway/src/main.js');
  const useDist = process.env.BENCH_DIST === '1';
  if (useDist && !existsSync(built))
    throw new Error(`BENCH_DIST=1 but ${built} is missing: npm run build first`);
  // A larger young generation: the gateway allocates a lot of short-lived objects (parsed bodies, zod results,
  // envelopes) per request, and scavenges dominate its GC time otherwise. Also the recommended production setting.
  const args: string[] = (process.env.BENCH_NODE_FLAGS ?? '--max-semi-space-size=64')
    .split(' ')
    .filter(Boolean);
  if (options.cpuProfileDir) {
    mkdirSync(options.cpuProfileDir, { recursive: true });
    args.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  }
  if (useDist) args.push(built);
  else
    args.push(
      '-r',
      resolve(ROOT, 'test/support/ts-register.js'),
      resolve(ROOT, 'apps/device-gateway/src/main.ts'),
    );
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...options.env, PORT: String(options.port), HTTP_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const forward = process.env.BENCH_LOGS === '1';
  child.stdout?.on('data', (chunk: Buffer) => forward && process.stdout.write(chunk));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  return { child, entry: useDist ? 'dist' : 'sources (ts-register)' };
}

export async function waitReady(url: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await fetch(`${url}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`gateway not ready at ${url} within ${timeoutMs} ms`);
}

export async function stopGateway(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await waitForExit(child);
  clearTimeout(timer);
}
