import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { cpuSecondsOfPid } from '../gateway/process-cpu';

/** Busy and total jiffies of the whole machine, from /proc/stat (Linux); zeros when it cannot be read. */
function machineJiffies(): { busy: number; total: number } {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((sum, n) => sum + n, 0);
    // idle and iowait are fields 4 and 5 of the cpu line.
    return { busy: total - fields[3] - (fields[4] ?? 0), total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** Local ports of a process's TCP connections to `remotePort` (its sockets matched with /proc/net/tcp). */
function localPortsTo(pid: number, remotePort: number): Set<number> {
  const ports = new Set<number>();
  const inodes = new Set<string>();
  for (const fd of readdirSafe(`/proc/${pid}/fd`)) {
    const link = readlinkSafe(`/proc/${pid}/fd/${fd}`);
    const match = /^socket:\[(\d+)\]$/.exec(link);
    if (match) inodes.add(match[1]);
  }
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSafe(table).split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || !inodes.has(cols[9])) continue;
      const [, local] = cols[1].split(':');
      const [, remote] = cols[2].split(':');
      if (parseInt(remote, 16) === remotePort) ports.add(parseInt(local, 16));
    }
  }
  return ports;
}

/** Reads that answer empty instead of throwing (a process or file that went away). */
function safe<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}
const readdirSafe = (path: string) => safe(() => readdirSync(path), [] as string[]);
const readlinkSafe = (path: string) => safe(() => readlinkSync(path), '');
const readFileSafe = (path: string) => safe(() => readFileSync(path, 'utf8'), '');

/**
 * PostgreSQL backends serving a given client process: found by the client's local ports of its connections to
 * the server (pg_stat_activity.client_port), so other processes with the same application_name (other people's
 * test runs on a shared machine) do not count. `query` runs the lookup (one connection kept by the caller).
 */
export async function backendPidsOf(
  clientPid: number | undefined,
  query: (sql: string, params: unknown[]) => Promise<{ rows: { pid: number }[] }>,
  serverPort = 5432,
): Promise<number[]> {
  if (!clientPid) return [];
  const ports = localPortsTo(clientPid, serverPort);
  if (ports.size === 0) return [];
  const { rows } = await query('SELECT pid FROM pg_stat_activity WHERE client_port = ANY($1::int[])', [
    [...ports],
  ]);
  return rows.map((r) => r.pid);
}

export interface CpuWindow {
  /** Seconds of wall time of the window. */
  seconds: number;
  /** Per named process (or group of processes), CPU used in the window as % of one core. */
  percentOfOneCore: Record<string, number>;
  /** The whole machine's busy time, % of all its cores (everything, including other people's load). */
  machineBusyPercent: number;
  cores: number;
  loadAverage1m: number;
}

interface Sample {
  at: number;
  machine: { busy: number; total: number };
  cpu: Map<string, Map<number, number>>;
}

/**
 * Samples the CPU of named processes (or groups, e.g. database backends) every `intervalMs` from `start()` to
 * `stop()`, so the CPU of any window in between can be read afterwards (`window(from, to)`, epoch ms): a phase
 * measured from the database's completion times gets the CPU of exactly that window. A group's pids are re-read at
 * each sample (backends come and go); a pid that appears in the window counts whole, one that went away is lost.
 */
export class CpuMeter {
  private samples: Sample[] = [];
  private timer?: NodeJS.Timeout;
  private sampling?: Promise<void>;

  constructor(
    private readonly groups: Record<string, () => Promise<(number | undefined)[]> | (number | undefined)[]>,
    private readonly intervalMs = 500,
  ) {}

  async start(): Promise<void> {
    this.samples = [];
    await this.sample();
    this.timer = setInterval(() => {
      this.sampling ??= this.sample().finally(() => (this.sampling = undefined));
    }, this.intervalMs);
  }

  /** Stops sampling; the CPU of the whole time since start(). */
  async stop(): Promise<CpuWindow> {
    clearInterval(this.timer);
    await this.sampling;
    await this.sample();
    return this.window(this.samples[0].at, this.samples[this.samples.length - 1].at);
  }

  /** The CPU between the samples nearest to `from` and `to` (epoch ms). */
  window(from: number, to: number): CpuWindow {
    const nearest = (t: number) =>
      this.samples.reduce((best, s) => (Math.abs(s.at - t) < Math.abs(best.at - t) ? s : best));
    const [a, b] = [nearest(from), nearest(to)];
    const seconds = Math.max((b.at - a.at) / 1000, 0.001);
    const percentOfOneCore: Record<string, number> = {};
    for (const [name, pids] of b.cpu) {
      let used = 0;
      for (const [pid, cpu] of pids) used += cpu - (a.cpu.get(name)?.get(pid) ?? 0);
      percentOfOneCore[name] = Math.round((used / seconds) * 1000) / 10;
    }
    const total = b.machine.total - a.machine.total;
    return {
      seconds: Math.round(seconds * 100) / 100,
      percentOfOneCore,
      machineBusyPercent: total > 0 ? Math.round(((b.machine.busy - a.machine.busy) / total) * 1000) / 10 : 0,
      cores: cpus().length,
      loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
    };
  }

  private async sample(): Promise<void> {
    const cpu = new Map<string, Map<number, number>>();
    for (const [name, pidsOf] of Object.entries(this.groups)) {
      const pids = (await pidsOf()).filter((pid): pid is number => !!pid);
      cpu.set(name, new Map(pids.map((pid) => [pid, cpuSecondsOfPid(pid)])));
    }
    this.samples.push({ at: Date.now(), machine: machineJiffies(), cpu });
  }
}
