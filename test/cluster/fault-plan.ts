// Seeded random faults for the cluster suite: which fault strikes, on what, and at which point of the ingest, all
// drawn from one seed that the suite prints, so that a failing run can be played again (CLUSTER_FAULT_SEED).
import { randomBytes } from 'node:crypto';
import { SERVICES, type ServiceName } from '../system/system-harness';
import { CLUSTER_NODES, type ClusterNode } from './kafka-cluster';

export type Fault =
  | { kind: 'broker-kill'; node: ClusterNode }
  | { kind: 'replica-kill'; service: ServiceName; replica: 1 | 2 }
  | { kind: 'replica-pause'; service: ServiceName; replica: 1 | 2 };

/** One fault and the invoices around it: it strikes after `strikeAt` of them and ends after `endAt` of `invoices`. */
export interface FaultStep {
  fault: Fault;
  invoices: number;
  strikeAt: number;
  endAt: number;
}

/** The seed of this run: CLUSTER_FAULT_SEED when set, a new one otherwise. */
export function faultSeed(env: NodeJS.ProcessEnv = process.env): string {
  return env.CLUSTER_FAULT_SEED?.trim() || randomBytes(4).toString('hex');
}

/** mulberry32 over a 32-bit hash of the seed: small, fast and the same on every machine. */
export function seededRandom(seed: string): () => number {
  let a = 0;
  for (let i = 0; i < seed.length; i++) a = (Math.imul(a, 31) + seed.charCodeAt(i)) | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `steps` faults, one after the other, over about `invoices` invoices in batches of ten: each step's share of the
 * invoices, its kind (broker kill and restart, process kill and restart, process SIGSTOP and SIGCONT), its target
 * and the batches at which it strikes and ends are drawn from `random`. One fault at a time: never two nodes down.
 */
export function planFaults(random: () => number, steps: number, invoices: number): FaultStep[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const batches = Math.max(3, Math.round(invoices / 10 / steps));
  return Array.from({ length: steps }, () => {
    const kind = pick(['broker-kill', 'replica-kill', 'replica-pause'] as const);
    const fault: Fault =
      kind === 'broker-kill'
        ? { kind, node: pick(CLUSTER_NODES) }
        : { kind, service: pick(SERVICES), replica: pick([1, 2] as const) };
    const strike = 1 + Math.floor(random() * (batches - 2));
    const end = strike + 1 + Math.floor(random() * (batches - strike - 1));
    return { fault, invoices: batches * 10, strikeAt: strike * 10, endAt: end * 10 };
  });
}

export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'broker-kill':
      return `kill -9 broker ${fault.node}, restart`;
    case 'replica-kill':
      return `kill -9 ${processName(fault.service, fault.replica)}, restart`;
    case 'replica-pause':
      return `SIGSTOP ${processName(fault.service, fault.replica)}, SIGCONT`;
  }
}

export function processName(service: ServiceName, replica: 1 | 2): ServiceName | `${ServiceName}#2` {
  return replica === 1 ? service : `${service}#2`;
}
