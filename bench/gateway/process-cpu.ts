import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); 0 when it cannot be read. */
export function cpuSecondsOfPid(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 once pid and command are cut off.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

export interface CpuSnapshot {
  gateway: number;
  /** Per backend pid: connections come and go (pool idle timeout) during a phase. */
  postgres: Map<number, number>;
  kafka: number;
  loadGenerator: number;
}

/**
 * Where the CPU goes, per component: the gateway processes, the PostgreSQL backends serving them (by
 * application_name), the Kafka broker's JVM, and this process (devices, signing, the Kafka counter).
 */
export class CpuAccounting {
  private readonly kafkaPid = findKafkaPid();

  constructor(
    private readonly gatewayPids: (number | undefined)[],
    private readonly databaseUrl: string,
  ) {}

  async snapshot(): Promise<CpuSnapshot> {
    return {
      gateway: this.gatewayPids.reduce((sum: number, pid) => sum + cpuSecondsOfPid(pid), 0),
      postgres: new Map((await this.backendPids()).map((pid) => [pid, cpuSecondsOfPid(pid)])),
      kafka: cpuSecondsOfPid(this.kafkaPid),
      loadGenerator: cpuSecondsOfPid(process.pid),
    };
  }

  /** Milliseconds of CPU per invoice, per component, between two snapshots. */
  static perInvoice(
    before: CpuSnapshot,
    after: CpuSnapshot,
    invoices: number,
  ): Record<keyof CpuSnapshot, number> {
    const ms = (seconds: number) => Math.round((seconds * 1e6) / invoices) / 1000;
    // A backend that appeared during the phase counts whole; one that went away is lost (a small undercount).
    let postgres = 0;
    for (const [pid, seconds] of after.postgres) postgres += seconds - (before.postgres.get(pid) ?? 0);
    return {
      gateway: ms(after.gateway - before.gateway),
      postgres: ms(postgres),
      kafka: ms(after.kafka - before.kafka),
      loadGenerator: ms(after.loadGenerator - before.loadGenerator),
    };
  }

  private async backendPids(): Promise<number[]> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'device-gateway'",
      );
      return rows.map((r) => r.pid);
    } finally {
      await client.end();
    }
  }
}

export function findKafkaPid(): number | undefined {
  try {
    const out = execFileSync('pgrep', ['-f', 'kafka.Kafka'], { encoding: 'utf8' });
    return Number(out.trim().split('\n')[0]) || undefined;
  } catch {
    return undefined;
  }
}
