import type { Admin } from 'kafkajs';
import { sleep } from '@lib/common';

/**
 * Errors a fresh or busy cluster answers for a moment while topics are being created or leaders elected (kafkajs
 * marks most as retriable; UNKNOWN_TOPIC_OR_PARTITION right after another client created the topic is one too).
 */
export function isRetriableKafkaError(error: unknown): boolean {
  const e = error as { retriable?: boolean; type?: string; message?: string } | null;
  return (
    e?.retriable === true ||
    /UNKNOWN_TOPIC_OR_PARTITION|LEADER_NOT_AVAILABLE|does not host this topic|coordinator is not available/i.test(
      `${e?.type} ${e?.message}`,
    )
  );
}

/** Runs a start-up step again while the cluster answers a retriable error; any other error, or the last, is thrown. */
export async function retryKafkaStartup<T>(
  step: () => Promise<T>,
  onRetry: (error: unknown, attempt: number) => void,
  attempts = 10,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= attempts || !isRetriableKafkaError(error)) throw error;
      onRetry(error, attempt);
      await sleep(250 * attempt);
    }
  }
}

/** Resolves once every topic has metadata with a leader for each partition (created by us or by another service). */
export async function waitForTopicLeaders(admin: Admin, topics: string[]): Promise<void> {
  const { topics: found } = await admin.fetchTopicMetadata({ topics });
  const leaderless = found.filter((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0));
  if (leaderless.length > 0) {
    throw Object.assign(new Error(`no leader yet for ${leaderless.map((t) => t.name).join(', ')}`), {
      retriable: true,
    });
  }
}
