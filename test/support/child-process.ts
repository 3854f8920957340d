import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const REGISTER = resolve(__dirname, 'ts-register.js');

/** Runs a TypeScript file in a separate Node process (so a test can SIGKILL it). */
export function spawnTs(file: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['-r', REGISTER, file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (process.env.CHILD_LOGS === '1') process.stderr.write(chunk);
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    if (process.env.CHILD_LOGS === '1') process.stdout.write(chunk);
  });
  return child;
}

export function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
}

export async function killHard(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  await waitForExit(child);
}
