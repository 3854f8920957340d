/**
 * The soak's settings, from its command line (run on its own) or from the environment (how bench/run-all.ts passes
 * `--minutes`, `--window`, `--rate` and `--quick` on). Command-line values win.
 */

/**
 * The whole system's measured capacity, invoices/s carried end to end on one 2-core machine: what reached the authority
 * per second while devices sent 600/s for 6 minutes (`npm run bench -- --only soak --rate 600 --minutes 6 --window 2`,
 * docs/benchmarks.md, "Capacity"): 180.6-184.6/s in the judged windows, sync's and reconcile's consumer groups falling
 * behind by the rest. The gateway alone takes 5,861/s and sync alone delivers 705/s, but on two shared cores each
 * consumed event is its own transaction in sync, reconcile and the notifier, and those are the slowest stage.
 * The soak runs at half of it.
 */
export const MEASURED_CAPACITY_PER_S = 180;

export interface SoakOptions {
  minutes: number;
  windowMinutes: number;
  /** Invoices per second the devices send, open loop (on a schedule, whatever the answers take). */
  rate: number;
  /** Where the rate comes from, for the report. */
  rateSource: string;
  batchSize: number;
  sampleSeconds: number;
  runtime: 'ts' | 'dist';
  keep: boolean;
}

export function soakOptions(argv: string[], env: NodeJS.ProcessEnv): SoakOptions {
  const args = parseArgv(argv);
  const number = (flag: string, variable: string, fallback: number) => {
    const raw = args.get(flag) ?? env[variable];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`${flag} / ${variable} must be a positive number, got ${raw}`);
    return value;
  };
  const capacity = number('--capacity', 'SOAK_CAPACITY', MEASURED_CAPACITY_PER_S);
  const explicitRate = args.get('--rate') ?? env.SOAK_RATE;
  const rate = number('--rate', 'SOAK_RATE', Math.floor(capacity / 2));
  const minutes = number('--minutes', 'SOAK_MINUTES', 30);
  const windowMinutes = number('--window', 'SOAK_WINDOW_MINUTES', 5);
  if (minutes / windowMinutes < 3)
    throw new Error(
      `${minutes} min in windows of ${windowMinutes} min: at least 3 windows are needed (one warm-up, two to compare)`,
    );
  return {
    minutes,
    windowMinutes,
    rate,
    rateSource: explicitRate ? 'set (--rate / SOAK_RATE)' : `half the measured capacity of ${capacity}/s`,
    batchSize: Math.round(number('--batch', 'SOAK_BATCH', 20)),
    // About 20 samples per window, never more often than every 3 s nor less than every 15 s.
    sampleSeconds: number('--sample', 'SOAK_SAMPLE_S', Math.min(15, Math.max(3, (windowMinutes * 60) / 20))),
    runtime: env.BENCH_DIST === '1' ? 'dist' : 'ts',
    keep: env.SOAK_KEEP === '1' || env.BENCH_KEEP === '1',
  };
}

function parseArgv(argv: string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? arg.split('=', 2) : [arg, undefined];
    if (!['--minutes', '--window', '--rate', '--capacity', '--batch', '--sample'].includes(flag))
      throw new Error(
        `unknown argument ${arg} (--minutes N --window N --rate N --capacity N --batch N --sample S)`,
      );
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    values.set(flag, value);
  }
  return values;
}
