import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SandboxState, SandboxTarget } from '@lib/simulators';
import { pollUntil, requestJson } from '@lib/testing';
import { waitForExit } from '../../test/support/child-process';
import { freePort } from '../../test/support/free-port';

const ROOT = resolve(__dirname, '../..');
const running = new Set<ChildProcess>();

// A benchmark that dies (error, Ctrl-C, the runner's timeout) must not leave a sandbox listening.
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

const PORTS = ['control', 'authority', 'baiwang', 'nuonuo', 'sms', 'smtp'] as const;

/**
 * The sandbox (apps/sandbox/src/main.ts) in its own process, as it runs in the demo: its HTTP servers then have an
 * event loop and a CPU share of their own instead of sharing the benchmark's. From the sources through the test
 * loader, or from dist/ with BENCH_DIST=1 after `npm run build` (as for the gateway benchmark). Driven through its
 * control API (docs/sandbox.md).
 */
export class SandboxProcess {
  child?: ChildProcess;
  entry = '';
  urls = {} as Record<(typeof PORTS)[number], string>;

  async start(env: Record<string, string> = {}): Promise<void> {
    const ports: Record<string, string> = {};
    for (const name of PORTS) {
      const port = await freePort();
      ports[`SANDBOX_${name.toUpperCase()}_PORT`] = String(port);
      this.urls[name] = `http://127.0.0.1:${port}`;
    }
    const built = resolve(ROOT, 'dist/apps/sandbox/src/main.js');
    const useDist = process.env.BENCH_DIST === '1';
    if (useDist && !existsSync(built))
      throw new Error(`BENCH_DIST=1 but ${built} is missing: npm run build first`);
    const args = useDist
      ? [built]
      : ['-r', resolve(ROOT, 'test/support/ts-register.js'), resolve(ROOT, 'apps/sandbox/src/main.ts')];
    this.entry = useDist ? 'dist' : 'sources (ts-register)';
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: {
        ...process.env,
        SANDBOX_HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        NODE_ENV: 'development',
        ...ports,
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    running.add(child);
    child.once('exit', () => running.delete(child));
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    await pollUntil(
      () => fetch(`${this.urls.control}/__sandbox/health`).then((r) => r.status),
      (status) => status === 200,
      { timeoutMs: 60_000, intervalMs: 200, what: 'sandbox ready' },
    );
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Replaces a target's faults; `spec` as in docs/sandbox.md ("Faults"), e.g. `{ latency: { fixedMs: 20 } }`. */
  async setFaults(target: SandboxTarget, spec: Record<string, unknown>): Promise<void> {
    const answer = await requestJson(this.urls.control, 'POST', '/__sandbox/faults', { target, ...spec });
    if (answer.status !== 200)
      throw new Error(`sandbox refused faults: ${answer.status} ${JSON.stringify(answer.body)}`);
  }

  async state(): Promise<SandboxState> {
    const answer = await requestJson(this.urls.control, 'GET', '/__sandbox/state');
    if (answer.status !== 200) throw new Error(`sandbox state: ${answer.status}`);
    return answer.body as SandboxState;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await waitForExit(child);
    clearTimeout(timer);
  }
}
