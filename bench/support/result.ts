import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const RESULTS_DIR = resolve(__dirname, '../results');

/**
 * Writes a benchmark's machine-readable result: to `BENCH_RESULT_FILE` when the runner (bench/run-all.ts) gave
 * one, else to bench/results/<name>.json as when the benchmark is run on its own. Returns the path written.
 */
export function writeResult(name: string, result: unknown): string {
  const file = process.env.BENCH_RESULT_FILE || resolve(RESULTS_DIR, `${name}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
