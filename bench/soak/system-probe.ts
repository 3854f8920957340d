import { loadavg } from 'node:os';
import type { Admin } from 'kafkajs';
import type { Client } from 'pg';
import { SERVICES, type ServiceName, type SystemHarness } from '../../test/system/system-harness';

/** One look at the running system. Counters are cumulative; the windows take their differences. */
export interface Sample {
  at: number;
  /** Per service, from its /metrics (prom-client's process and Node.js metrics). */
  memory: Record<ServiceName, { rssMb: number; heapUsedMb: number }>;
  /** Per service, cumulative CPU seconds (process_cpu_seconds_total): what share of the machine it got. */
  cpuSeconds: Record<ServiceName, number>;
  /** The machine's 1-minute load average: on a shared machine, what the figures were measured under. */
  loadAverage: number;
  /** Per consumer group of the system (prefix stripped): messages of its topics not yet committed. */
  lag: Record<string, number>;
  /** Per service that has an outbox: rows not yet published (the relay deletes what it published). */
  outbox: Record<string, number>;
  /** Sync's open deliveries (pending or sending), every target. */
  syncBacklog: number;
  /** Cumulative: deliveries sync finished as accepted (or relayed), every target; and those to the authority. */
  delivered: { all: number; authority: number };
}

const MB = 1024 * 1024;

/**
 * Reads the system's state the way an operator's dashboard would: each service's /metrics, Kafka's committed and end
 * offsets per consumer group (kafkajs admin), and a count of each service's outbox table in PostgreSQL.
 */
export class SystemProbe {
  /** Groups are remembered once seen, so a group that a listing misses still counts (quiescence.ts says why). */
  private readonly groups = new Set<string>();

  constructor(
    private readonly system: SystemHarness,
    private readonly admin: Admin,
    private readonly db: Client,
  ) {}

  async sample(): Promise<Sample> {
    const at = Date.now();
    const metrics = await Promise.all(SERVICES.map((s) => this.scrape(s)));
    const memory = {} as Sample['memory'];
    const cpuSeconds = {} as Sample['cpuSeconds'];
    SERVICES.forEach((service, i) => {
      memory[service] = {
        rssMb: round1(sum(metrics[i], 'process_resident_memory_bytes') / MB),
        heapUsedMb: round1(sum(metrics[i], 'nodejs_heap_size_used_bytes') / MB),
      };
      cpuSeconds[service] = sum(metrics[i], 'process_cpu_seconds_total');
    });
    const sync = metrics[SERVICES.indexOf('sync')];
    const finished = (target?: string) =>
      ['accepted', 'relayed'].reduce(
        (n, status) =>
          n + sum(sync, 'sync_deliveries_finished_total', { status, ...(target ? { target } : {}) }),
        0,
      );
    return {
      at,
      memory,
      cpuSeconds,
      loadAverage: loadavg()[0],
      lag: await this.lagPerGroup(),
      outbox: await this.outboxDepth(),
      syncBacklog: sum(sync, 'sync_deliveries_backlog'),
      delivered: { all: finished(), authority: finished('authority') },
    };
  }

  private async scrape(service: ServiceName): Promise<string> {
    const response = await fetch(`${this.system.urls[service]}/metrics`, {
      signal: AbortSignal.timeout(10_000),
    }).catch((error: unknown) => {
      throw new Error(`${service} /metrics did not answer (did it exit? see its log): ${String(error)}`);
    });
    if (!response.ok) throw new Error(`${service} /metrics answered ${response.status}`);
    return response.text();
  }

  private async lagPerGroup(): Promise<Record<string, number>> {
    const prefix = this.system.topicPrefix;
    for (const g of (await this.admin.listGroups()).groups)
      if (g.groupId.startsWith(prefix)) this.groups.add(g.groupId);
    const ends = new Map<string, Map<number, number>>();
    const endsOf = async (topic: string) => {
      let known = ends.get(topic);
      if (!known) {
        const offsets = await this.admin.fetchTopicOffsets(topic);
        known = new Map(offsets.map((o) => [o.partition, Number(o.high)]));
        ends.set(topic, known);
      }
      return known;
    };
    const lag: Record<string, number> = {};
    for (const groupId of [...this.groups].sort()) {
      let behind = 0;
      for (const { topic, partitions } of await this.admin.fetchOffsets({ groupId })) {
        const high = await endsOf(topic);
        for (const p of partitions) {
          const end = high.get(p.partition) ?? 0;
          const committed = Number(p.offset);
          behind += committed < 0 ? end : Math.max(0, end - committed);
        }
      }
      lag[groupId.slice(prefix.length)] = behind;
    }
    return lag;
  }

  private async outboxDepth(): Promise<Record<string, number>> {
    const depth: Record<string, number> = {};
    for (const service of SERVICES) {
      const table = `"${this.system.schemaOf(service)}".outbox`;
      const { rows } = await this.db.query<{ exists: boolean }>(
        'SELECT to_regclass($1) IS NOT NULL AS exists',
        [table],
      );
      if (!rows[0].exists) continue;
      const counted = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      depth[service] = counted.rows[0].n;
    }
    return depth;
  }
}

/** A Prometheus text sample summed over the series of `name` whose labels contain every given pair. */
export function sum(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    if (wanted.every((w) => (match[2] ?? '').includes(w))) total += Number(match[3]);
  }
  return total;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
