import type { Verdict } from './verdict';
import type { SoakWindow } from './windows';

/** One line per window: per service RSS / heap used, lag per group, outbox per service, p99, throughput. */
export function windowTable(windows: SoakWindow[]): string {
  if (windows.length === 0) return '(no window completed)';
  const services = Object.keys(windows[0].memory);
  const groups = [...new Set(windows.flatMap((w) => Object.keys(w.lag)))].sort();
  const outboxes = [...new Set(windows.flatMap((w) => Object.keys(w.outbox)))].sort();
  const head = [
    'window (min)',
    ...services.map((s) => `${short(s)} RSS/heap MB`),
    ...groups.map((g) => `lag ${g}`),
    ...outboxes.map((s) => `outbox ${short(s)}`),
    'sync open',
    'p50/p99 ms',
    'accepted/s',
    'delivered/s (authority)',
    'CPU % of a core',
    'load',
  ];
  const rows = windows.map((w) => [
    `${w.index === 0 ? '*' : ''}${w.fromMinute}-${w.toMinute}`,
    ...services.map((s) => `${w.memory[s].rssMb.median} / ${w.memory[s].heapUsedMb.min}`),
    ...groups.map((g) => meanMax(w.lag[g]?.mean, w.lag[g]?.max)),
    ...outboxes.map((s) => meanMax(w.outbox[s]?.mean, w.outbox[s]?.max)),
    meanMax(w.syncBacklog.mean, w.syncBacklog.max),
    `${Math.round(w.ingest.latencyMs.p50)} / ${Math.round(w.ingest.latencyMs.p99)}`,
    `${w.ingest.acceptedPerSecond} of ${w.ingest.targetPerSecond}`,
    `${w.delivered.perSecond} (${w.delivered.authorityPerSecond})`,
    services.map((s) => Math.round(w.cpuPercent[s])).join(' / '),
    String(w.loadAverage.mean),
  ]);
  return [
    table(head, rows),
    '* warm-up window, not judged. RSS: window median; heap: window floor; lag, outbox, sync open: mean (max); ' +
      `CPU: ${services.map(short).join(' / ')}; load: the machine's 1-minute load average, mean.`,
  ].join('\n');
}

export function verdictTable(verdict: Verdict): string {
  const rows = verdict.criteria.map((c) => [c.criterion, c.value, c.bound, c.met ? 'met' : 'NOT MET']);
  return [
    table(['criterion', 'value', 'bound', 'status'], rows),
    `verdict: ${verdict.flatBounded ? 'flat, bounded' : `NOT flat, bounded (${verdict.failed.length} criteria failed)`} ` +
      `over ${verdict.judgedWindows} judged windows`,
  ].join('\n');
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' │ ');
  return [line(head), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...rows.map(line)].join('\n');
}

const short = (service: string) => service.replace('device-', '');
const meanMax = (mean = 0, max = 0) => `${Math.round(mean)} (${Math.round(max)})`;
