import type { BenchmarkSpec, Figure } from '../figures';
import type { Criterion, Verdict } from './verdict';

/** What `--minutes`, `--window` and `--rate` on the runner's command line set (environment of the soak). */
export interface SoakRunArgs {
  minutes?: string;
  window?: string;
  rate?: string;
}

const MINUTE = 60_000;

/**
 * The soak as the runner (bench/run-all.ts) runs it. Not part of a plain `npm run bench`: it takes 30 minutes, so it
 * runs only when named (`--only soak`). Full: 30 minutes in windows of 5; quick: 6 minutes in windows of 1. The time
 * limit follows the minutes asked for, plus the system's start and clean-up.
 */
export function soakBenchmark(args: SoakRunArgs): BenchmarkSpec {
  const asked: Record<string, string> = {
    ...(args.minutes ? { SOAK_MINUTES: args.minutes } : {}),
    ...(args.window ? { SOAK_WINDOW_MINUTES: args.window } : {}),
    ...(args.rate ? { SOAK_RATE: args.rate } : {}),
  };
  const limit = (minutes: number) => (Number(args.minutes ?? minutes) + 10) * MINUTE;
  return {
    name: 'soak',
    file: 'bench/soak/run.ts',
    description:
      'the whole system at half its measured capacity for 30 min: memory, lag, outbox, p99 per window; ' +
      '"flat, bounded" (only with --only soak; --minutes N --window N --rate N)',
    env: {
      full: { SOAK_MINUTES: '30', SOAK_WINDOW_MINUTES: '5', ...asked },
      quick: { SOAK_MINUTES: '6', SOAK_WINDOW_MINUTES: '1', ...asked },
    },
    timeoutMs: { full: limit(30), quick: limit(6) },
    figures: (r: {
      verdict: Verdict;
      windows: unknown[];
      settings: { rate: number; minutes: number; windowMinutes: number };
    }) => [
      {
        figure:
          `verdict: ${r.settings.minutes} min at ${r.settings.rate} invoices/s, ${r.windows.length} windows of ` +
          `${r.settings.windowMinutes} min (the first is warm-up)`,
        value: r.verdict.flatBounded ? 'flat, bounded' : 'NOT flat, bounded',
        target: 'flat, bounded',
        vsBaseline: r.verdict.failed.length ? `failed: ${r.verdict.failed.join('; ')}` : '-',
        met: r.verdict.flatBounded,
      },
      ...worstOf(r.verdict.criteria),
    ],
  };
}

/** One row per kind of criterion (memory, heap, queues, p99, ingest): its first failing one, else its last. */
function worstOf(criteria: Criterion[]): Figure[] {
  const kinds = [
    /RSS growth/,
    /heap used growth/,
    /^consumer lag/,
    /^outbox depth/,
    /^sync open/,
    /^p99/,
    /^ingest held/,
  ];
  return kinds.flatMap((pattern) => {
    const matching = criteria.filter((c) => pattern.test(c.criterion));
    if (matching.length === 0) return [];
    const failing = matching.filter((c) => !c.met);
    const shown = failing[0] ?? matching[matching.length - 1];
    return [
      {
        figure: `${shown.criterion}${matching.length > 1 ? ` (${failing.length} of ${matching.length} failing)` : ''}`,
        value: shown.value,
        target: shown.bound,
        vsBaseline: '-',
        met: failing.length === 0,
      },
    ];
  });
}
