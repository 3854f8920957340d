import type { RecordMetadata, TopicMessages } from 'kafkajs';

/**
 * The partitions a send placed messages on that the producer's answer does not name: written by no node, although
 * sendBatch resolved.
 *
 * kafkajs (2.2.4) sends one produce request per partition leader and, when one of them fails, retries only towards
 * the nodes that have not answered yet, with fresh metadata. A partition whose leader died while its request was in
 * flight and that moved to a node which had already answered for other partitions is then never sent again, and the
 * send resolves as if it had been written. Committing that transaction loses those messages (test/cluster,
 * relay-leader-move). Every message must carry its partition, so that what was meant is known exactly; one that does
 * not is reported as `<topic>:unplaced`.
 */
export function unwrittenPartitions(sent: TopicMessages[], answers: RecordMetadata[]): string[] {
  const written = new Set(answers.map((a) => `${a.topicName}:${a.partition}`));
  const missing = new Set<string>();
  for (const { topic, messages } of sent) {
    for (const message of messages) {
      const where = `${topic}:${message.partition ?? 'unplaced'}`;
      if (message.partition === undefined || !written.has(where)) missing.add(where);
    }
  }
  return [...missing].sort();
}
