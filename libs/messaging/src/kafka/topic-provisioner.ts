import type { Admin, ITopicConfig } from 'kafkajs';

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor?: number;
  config?: Record<string, string>;
  /** Also create `<name>.dlq` (same partitions, longer retention). */
  withDlq?: boolean;
}

/**
 * Creates missing topics; existing topics are left as they are (a partition count is never
 * lowered, and raising it would move keys between partitions: that is an operator's decision).
 */
export async function ensureTopics(admin: Admin, specs: TopicSpec[]): Promise<string[]> {
  const wanted = new Map<string, ITopicConfig>();
  for (const spec of specs) {
    const base = {
      numPartitions: spec.partitions,
      replicationFactor: spec.replicationFactor ?? 1,
    };
    wanted.set(spec.name, { topic: spec.name, ...base, configEntries: entries(spec.config) });
    if (spec.withDlq) {
      wanted.set(`${spec.name}.dlq`, {
        topic: `${spec.name}.dlq`,
        ...base,
        configEntries: entries({ 'retention.ms': String(30 * 24 * 3600 * 1000) }),
      });
    }
  }
  const existing = new Set(await admin.listTopics());
  const missing = [...wanted.values()].filter((t) => !existing.has(t.topic));
  if (missing.length === 0) return [];
  try {
    await admin.createTopics({ topics: missing, waitForLeaders: true });
  } catch (error) {
    // Another replica may have created them at the same moment.
    if (!/TOPIC_ALREADY_EXISTS|already exists/i.test(String((error as Error).message ?? error))) throw error;
  }
  return missing.map((t) => t.topic);
}

function entries(config?: Record<string, string>) {
  return Object.entries(config ?? {}).map(([name, value]) => ({ name, value }));
}
