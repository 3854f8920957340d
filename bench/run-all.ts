// Runs every benchmark (`npm run bench`, see docs/benchmarks.md), each in its own child process so that one's memory
// and CPU do not affect another's figures; collects each one's JSON result and writes bench/results/<name>.json,
// bench/results/summary.json and bench/results/summary.md, and prints the summary table.
//   node -r ./test/support/ts-register.js bench/run-all.ts [--only gateway,sync] [--quick] [--strict]
// The soak (30 minutes) runs only when named: --only soak [--minutes N] [--window N] [--rate N] (bench/soak).
// --quick: small sizes for a smoke run (figures labelled quick, not comparable with the targets).
// --strict: also exit non-zero when a figure misses its target (a failed benchmark always does).
// BENCH_TIMEOUT_S overrides each benchmark's time limit (defaults in bench/figures.ts).
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg, tmpdir, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { BENCHMARKS, BenchmarkSpec, Figure } from './figures';
import { soakBenchmark, type SoakRunArgs } from './soak/soak-benchmark';
import { RESULTS_DIR } from './support/result';

const ROOT = resolve(__dirname, '..');

interface Options {
  only: string[];
  quick: boolean;
  strict: boolean;
  soak: SoakRunArgs;
}

/** Every benchmark the runner knows; a plain run leaves out the soak (30 minutes), which runs only when named. */
const allBenchmarks = (soak: SoakRunArgs) => [...BENCHMARKS, soakBenchmark(soak)];

interface Outcome {
  name: string;
  description: string;
  status: 'ok' | 'FAILED';
  quick: boolean;
  startedAt: string;
  durationS: number;
  command: string;
  exitCode: number | null;
  error?: string;
  loadAverage: { atStart: number[]; atEnd: number[] };
  figures: Figure[];
  result?: unknown;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { only: BENCHMARKS.map((b) => b.name), quick: false, strict: false, soak: {} };
  const known = allBenchmarks({}).map((b) => b.name);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const soakArg = /^--(minutes|window|rate)(?:=(.*))?$/.exec(arg);
    if (soakArg) {
      const value = soakArg[2] ?? argv[++i];
      if (!value || !(Number(value) > 0)) usage(`--${soakArg[1]} needs a positive number`);
      options.soak[soakArg[1] as keyof SoakRunArgs] = value;
    } else if (arg === '--quick') options.quick = true;
    else if (arg === '--strict') options.strict = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      options.only = (value ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = options.only.filter((name) => !known.includes(name));
      if (unknown.length || options.only.length === 0)
        usage(`unknown benchmark(s) in --only: ${unknown.join(', ') || '(none given)'}`);
    } else if (arg === '--help' || arg === '-h') usage();
    else usage(`unknown argument ${arg}`);
  }
  return options;
}

function usage(problem?: string): never {
  const text =
    'usage: npm run bench -- [--only ' +
    allBenchmarks({})
      .map((b) => b.name)
      .join(',') +
    '] [--quick] [--strict] [--minutes N --window N --rate N (soak)]\n' +
    allBenchmarks({})
      .map((b) => `  ${b.name.padEnd(10)} ${b.description}`)
      .join('\n') +
    '\n';
  if (problem) process.stderr.write(`${problem}\n${text}`);
  else process.stdout.write(text);
  process.exit(problem ? 2 : 0);
}

let current: ChildProcess | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    if (current?.pid) killGroup(current.pid, 'SIGTERM');
    process.exit(130);
  });

/** Signals the benchmark's process group (it and the processes it started: gateways, sync, sandbox, clients). */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

async function runOne(spec: BenchmarkSpec, quick: boolean): Promise<Outcome> {
  const resultFile = resolve(tmpdir(), `bench-${spec.name}-${process.pid}-${Date.now()}.json`);
  const env = quick ? spec.env.quick : spec.env.full;
  const command = [
    ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
    'node -r ./test/support/ts-register.js',
    spec.file,
  ].join(' ');
  const timeoutMs = process.env.BENCH_TIMEOUT_S
    ? Number(process.env.BENCH_TIMEOUT_S) * 1000
    : quick
      ? spec.timeoutMs.quick
      : spec.timeoutMs.full;
  const started = Date.now();
  const atStart = loadavg().map(round2);
  process.stdout.write(`\n== ${spec.name}${quick ? ' (quick)' : ''}: ${command}\n`);
  const child = spawn(
    process.execPath,
    ['-r', resolve(ROOT, 'test/support/ts-register.js'), resolve(ROOT, spec.file)],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, BENCH_RESULT_FILE: resultFile },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout can stop it together with the processes it started.
      detached: true,
    },
  );
  current = child;
  let tail = '';
  // Whole lines, each prefixed with the benchmark's name; stderr's tail is kept for the error message.
  const forward = (to: NodeJS.WriteStream, keep: boolean) => {
    let partial = '';
    return (chunk: Buffer | null) => {
      const text = partial + (chunk ? chunk.toString() : partial ? '\n' : '');
      const end = text.lastIndexOf('\n') + 1;
      partial = text.slice(end);
      if (end > 0) to.write(text.slice(0, end).replace(/^(?=.)/gm, `[${spec.name}] `));
      if (keep && chunk) tail = (tail + chunk.toString()).slice(-8_000);
    };
  };
  const out = forward(process.stdout, false);
  const err = forward(process.stderr, true);
  child.stdout?.on('data', out).once('end', () => out(null));
  child.stderr?.on('data', err).once('end', () => err(null));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    process.stderr.write(`[${spec.name}] timed out after ${timeoutMs / 1000} s: stopping it\n`);
    if (child.pid) killGroup(child.pid, 'SIGTERM');
    setTimeout(() => child.pid && killGroup(child.pid, 'SIGKILL'), 20_000).unref();
  }, timeoutMs);
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) =>
    child.once('close', (code, sig) => done([code, sig])),
  );
  clearTimeout(timer);
  current = undefined;
  // Whatever it left behind in its group (it should have stopped its children itself).
  if (child.pid) killGroup(child.pid, 'SIGKILL');

  const outcome: Outcome = {
    name: spec.name,
    description: spec.description,
    status: 'FAILED',
    quick,
    startedAt: new Date(started).toISOString(),
    durationS: Math.round((Date.now() - started) / 100) / 10,
    command,
    exitCode,
    loadAverage: { atStart, atEnd: loadavg().map(round2) },
    figures: [],
  };
  let result: unknown;
  if (existsSync(resultFile)) {
    try {
      result = JSON.parse(readFileSync(resultFile, 'utf8'));
    } catch (error) {
      outcome.error = `unreadable result: ${String(error)}`;
    }
    rmSync(resultFile, { force: true });
  }
  if (timedOut) outcome.error = `timed out after ${timeoutMs / 1000} s`;
  else if (result === undefined && !outcome.error)
    outcome.error = `${errorOf(tail) || 'no result written'} (exit ${signal ?? exitCode})`;
  if (result !== undefined && !timedOut) {
    try {
      outcome.figures = spec.figures(result);
      outcome.status = 'ok';
      outcome.result = result;
      // A benchmark that wrote its result may still exit non-zero (sync does when it misses a target).
      if (exitCode !== 0)
        outcome.error = `exited ${signal ?? exitCode} after writing its result (its own verdict on a target)`;
    } catch (error) {
      outcome.error = `result without the expected figures: ${String(error)}`;
      outcome.result = result;
    }
  }
  return outcome;
}

/** The error of a failed benchmark: the first line of its last stack trace, else its last line of output. */
function errorOf(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const errorLine = [...lines].reverse().find((l) => /^(\w*Error|error)\b|Error:/.test(l));
  return (errorLine ?? lines[lines.length - 1] ?? '').slice(0, 300);
}

function statusOf(outcome: Outcome, figure?: Figure): string {
  if (outcome.status === 'FAILED') return 'FAILED';
  const quick = outcome.quick ? ' (quick)' : '';
  if (!figure || figure.met === null) return `-${quick}`;
  return `${figure.met ? 'met' : 'NOT MET'}${quick}`;
}

interface Row {
  benchmark: string;
  figure: string;
  value: string;
  target: string;
  vsBaseline: string;
  status: string;
}

function rowsOf(outcomes: Outcome[]): Row[] {
  const rows: Row[] = [];
  for (const o of outcomes) {
    const label = o.quick ? `${o.name} [quick]` : o.name;
    if (o.status === 'FAILED')
      rows.push({
        benchmark: label,
        figure: `FAILED: ${o.error ?? 'unknown error'}`,
        value: '-',
        target: '-',
        vsBaseline: '-',
        status: 'FAILED',
      });
    for (const f of o.figures)
      rows.push({
        benchmark: label,
        figure: f.figure,
        value: f.value,
        target: f.target,
        vsBaseline: f.vsBaseline,
        status: statusOf(o, f),
      });
  }
  return rows;
}

const COLUMNS: [keyof Row, string][] = [
  ['benchmark', 'benchmark'],
  ['figure', 'figure'],
  ['value', 'value'],
  ['target', 'target'],
  ['vsBaseline', 'ratio vs baseline'],
  ['status', 'status'],
];

function textTable(rows: Row[]): string {
  const width = (key: keyof Row, title: string) => Math.max(title.length, ...rows.map((r) => r[key].length));
  const widths = COLUMNS.map(([key, title]) => width(key, title));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' │ ');
  return [
    line(COLUMNS.map(([, title]) => title)),
    widths.map((w) => '─'.repeat(w)).join('─┼─'),
    ...rows.map((r) => line(COLUMNS.map(([key]) => r[key]))),
  ].join('\n');
}

function markdownTable(rows: Row[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${COLUMNS.map(([, title]) => title).join(' | ')} |`,
    `| ${COLUMNS.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${COLUMNS.map(([key]) => cell(r[key])).join(' | ')} |`),
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const selected = allBenchmarks(options.soak).filter((b) => options.only.includes(b.name));
  const startedAt = new Date();
  const machine = {
    host: hostname(),
    cpus: cpus().length,
    model: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverageAtStart: loadavg().map(round2),
  };
  process.stdout.write(
    `benchmarks: ${selected.map((b) => b.name).join(', ')}${options.quick ? ' (QUICK: smoke sizes)' : ''}; ` +
      `${machine.cpus} cores, load average ${machine.loadAverageAtStart.join(' ')}\n`,
  );
  if (machine.loadAverageAtStart[0] > machine.cpus)
    process.stdout.write(
      `note: the machine is busy (load ${machine.loadAverageAtStart[0]} > ${machine.cpus} cores): figures will be lower\n`,
    );

  const outcomes: Outcome[] = [];
  for (const spec of selected) outcomes.push(await runOne(spec, options.quick));

  mkdirSync(RESULTS_DIR, { recursive: true });
  for (const o of outcomes)
    writeFileSync(resolve(RESULTS_DIR, `${o.name}.json`), `${JSON.stringify(o, null, 2)}\n`);
  const rows = rowsOf(outcomes);
  const finishedAt = new Date();
  const summary = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    quick: options.quick,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: { ...machine, loadAverageAtEnd: loadavg().map(round2) },
    benchmarks: outcomes.map(({ result: _result, ...rest }) => rest),
  };
  writeFileSync(resolve(RESULTS_DIR, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const title = options.quick
    ? 'Benchmark summary — QUICK run (smoke sizes: figures are not comparable with the targets)'
    : 'Benchmark summary';
  const context =
    `${summary.startedAt} → ${summary.finishedAt}; ${machine.cpus} cores (${machine.model}), Node ${machine.node}; ` +
    `load average at start ${machine.loadAverageAtStart.join(' ')}, at end ${summary.machine.loadAverageAtEnd.join(' ')}`;
  const md = [
    `# ${title}`,
    '',
    `\`${summary.command}\` — ${context}`,
    '',
    markdownTable(rows),
    '',
    ...outcomes.map(
      (o) =>
        `- **${o.name}** (${o.status}, ${o.durationS} s, load ${o.loadAverage.atStart[0]} → ${o.loadAverage.atEnd[0]}): ` +
        `\`${o.command}\`${o.error ? ` — ${o.error}` : ''}`,
    ),
    '',
  ].join('\n');
  writeFileSync(resolve(RESULTS_DIR, 'summary.md'), md);

  process.stdout.write(`\n${title}\n${context}\n\n${textTable(rows)}\n\n`);
  for (const o of outcomes.filter((x) => x.error))
    process.stdout.write(`${o.name}: ${o.status === 'FAILED' ? 'FAILED' : 'note'}: ${o.error}\n`);
  process.stdout.write(
    `written: bench/results/{${outcomes.map((o) => o.name).join(',')},summary}.json, summary.md\n`,
  );

  const failed = outcomes.some((o) => o.status === 'FAILED');
  const missed = outcomes.some((o) => o.figures.some((f) => f.met === false));
  process.exitCode = failed || (options.strict && missed) ? 1 : 0;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
