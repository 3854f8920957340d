import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '@lib/persistence';
import { DeadLetterArrival } from './dead-letter.model';

export interface DeadLetterGroup {
  dlqTopic: string;
  errorCode: string;
  count: number;
}

/** What one window's message says: totals by topic and code, and a few examples to start from. */
export interface DeadLetterSummary {
  total: number;
  groups: DeadLetterGroup[];
  samples: DeadLetterArrival[];
}

interface ArrivalRow {
  id: string;
  dlq_topic: string;
  source_topic: string | null;
  source_partition: number | null;
  source_offset: string | null;
  consumer_group: string | null;
  error_code: string;
  error_message: string | null;
  event_id: string | null;
  event_type: string | null;
  failed_at: Date | null;
}

const toArrival = (r: ArrivalRow): DeadLetterArrival => ({
  id: r.id,
  dlqTopic: r.dlq_topic,
  sourceTopic: r.source_topic,
  sourcePartition: r.source_partition,
  sourceOffset: r.source_offset === null ? null : String(r.source_offset),
  consumerGroup: r.consumer_group,
  errorCode: r.error_code,
  errorMessage: r.error_message,
  eventId: r.event_id,
  eventType: r.event_type,
  failedAt: r.failed_at,
});

/** Every message seen in a dead-letter topic (table `dead_letters`), counted per window. */
@Injectable()
export class DeadLetterRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records an arrival; false when it was already recorded (the same message dead-lettered again). */
  async record(manager: EntityManager, a: DeadLetterArrival, windowStart: Date, now: Date): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      manager,
      `INSERT INTO dead_letters (id, dlq_topic, source_topic, source_partition, source_offset, consumer_group, error_code,
                                 error_message, event_id, event_type, failed_at, window_start, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        a.id,
        a.dlqTopic,
        a.sourceTopic,
        a.sourcePartition,
        a.sourceOffset,
        a.consumerGroup,
        a.errorCode,
        a.errorMessage,
        a.eventId,
        a.eventType,
        a.failedAt,
        windowStart,
        now,
      ],
    );
    return rows.length === 1;
  }

  async summary(windowStart: Date, sampleSize: number): Promise<DeadLetterSummary> {
    const groups = await queryRows<{ dlq_topic: string; error_code: string; count: string }>(
      this.dataSource.manager,
      `SELECT dlq_topic, error_code, count(*) AS count FROM dead_letters WHERE window_start = $1
        GROUP BY dlq_topic, error_code ORDER BY count(*) DESC, dlq_topic, error_code`,
      [windowStart],
    );
    const samples = await queryRows<ArrivalRow>(
      this.dataSource.manager,
      'SELECT * FROM dead_letters WHERE window_start = $1 ORDER BY received_at, id LIMIT $2',
      [windowStart, sampleSize],
    );
    const counted = groups.map((g) => ({
      dlqTopic: g.dlq_topic,
      errorCode: g.error_code,
      count: Number(g.count),
    }));
    return {
      total: counted.reduce((sum, g) => sum + g.count, 0),
      groups: counted,
      samples: samples.map(toArrival),
    };
  }

  /** Deletes at most `limit` arrivals recorded before `before`; returns how many. */
  async prune(before: Date, limit: number): Promise<number> {
    const rows = await queryRows<{ n: number }>(
      this.dataSource.manager,
      `WITH gone AS (DELETE FROM dead_letters WHERE id IN (
          SELECT id FROM dead_letters WHERE received_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [before, limit],
    );
    return rows[0]?.n ?? 0;
  }
}
