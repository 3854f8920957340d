// The three-node local cluster of deploy/kafka/kafka.sh (`cluster` commands), and what the suite asks of its
// metadata: which node leads what, and whether every replica is back in sync after a node returned.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { pollUntil, REPO_ROOT } from '@lib/testing';

export const CLUSTER_NODES = [1, 2, 3] as const;
export type ClusterNode = (typeof CLUSTER_NODES)[number];

/** Runs `kafka.sh cluster <args>` and returns what it printed. */
export function clusterCtl(...args: string[]): string {
  return execFileSync('bash', [join(REPO_ROOT, 'deploy/kafka/kafka.sh'), 'cluster', ...args], {
    encoding: 'utf8',
    stdio: 'pipe',
  }).trim();
}

export interface PartitionState {
  topic: string;
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

/** Every partition of the topics whose name starts with `prefix`, plus the cluster's internal topics. */
export async function partitionsOf(admin: Admin, prefix: string): Promise<PartitionState[]> {
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix) || t.startsWith('__'));
  const { topics: described } = await admin.fetchTopicMetadata({ topics });
  return described.flatMap((t) =>
    t.partitions.map((p) => ({
      topic: t.name,
      partition: p.partitionId,
      leader: p.leader,
      replicas: p.replicas,
      isr: p.isr,
    })),
  );
}

/**
 * The node that leads the most partitions of this system's topics (the kill that moves the most leaders), among the
 * nodes that hold no single-replica partition of it: losing one of those is an outage of that partition until the node
 * returns, not a leader move (see the outbox progress topic in docs/infrastructure.md).
 */
export function busiestLeader(partitions: PartitionState[], prefix: string): ClusterNode {
  const mine = partitions.filter((p) => p.topic.startsWith(prefix));
  const sole = new Set(mine.filter((p) => p.replicas.length === 1).map((p) => p.replicas[0]));
  const led = new Map<number, number>(CLUSTER_NODES.filter((n) => !sole.has(n)).map((n) => [n, 0]));
  for (const p of mine) if (led.has(p.leader)) led.set(p.leader, led.get(p.leader)! + 1);
  const ranked = [...led.entries()].sort((a, b) => b[1] - a[1]);
  if (!ranked.length) throw new Error('every node holds a single-replica partition of this system');
  return ranked[0][0] as ClusterNode;
}

/** The node holding the single replica of `topic`'s partition 0 (a topic created with replication factor 1). */
export function soleReplicaHolder(partitions: PartitionState[], topic: string): ClusterNode | undefined {
  const p = partitions.find((q) => q.topic === topic && q.partition === 0);
  return p?.replicas.length === 1 ? (p.replicas[0] as ClusterNode) : undefined;
}

/** Waits until every partition has a leader and all its replicas in sync (a returned node has caught up). */
export async function waitFullyReplicated(admin: Admin, prefix: string, timeoutMs: number): Promise<void> {
  await pollUntil(
    () => partitionsOf(admin, prefix).catch(() => [] as PartitionState[]),
    (ps) => ps.length > 0 && ps.every((p) => p.leader >= 0 && p.isr.length === p.replicas.length),
    { timeoutMs, intervalMs: 500, what: 'every partition led and fully in sync' },
  );
}

/**
 * Waits until every node answers metadata for `topics` with a leader for each partition. A new topic reaches the
 * nodes one after the other, and a client asking a node that has not heard of it yet gets UNKNOWN_TOPIC_OR_PARTITION.
 */
export async function waitTopicsKnownEverywhere(topics: string[], timeoutMs = 60_000): Promise<void> {
  for (const broker of clusterCtl('brokers').split(',')) {
    const admin = new Kafka({
      clientId: 'cluster-metadata',
      brokers: [broker],
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      await pollUntil(
        () =>
          admin
            .fetchTopicMetadata({ topics })
            .then((m) =>
              m.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)),
            )
            .catch(() => false),
        (known) => known,
        { timeoutMs, intervalMs: 250, what: `${broker} knowing ${topics.join(', ')}` },
      );
    } finally {
      await admin.disconnect();
    }
  }
}
