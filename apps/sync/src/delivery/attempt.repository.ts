import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TargetName } from '@lib/providers';
import { queryRows } from '@lib/persistence';
import { CallRecord } from './delivery.model';

export interface AttemptRow {
  delivery_id: string;
  attempt_no: number;
  action: string;
  target: string;
  serial_no: string;
  outcome: string;
  error_code: string | null;
  error_message: string | null;
  target_record_id: string | null;
  retry_after_ms: number | null;
  started_at: Date;
  latency_ms: number;
}

/** The log of every call made to a target, in one insert per outcome. */
@Injectable()
export class AttemptRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, deliveryId: string, attemptNo: number, target: TargetName, calls: CallRecord[]): Promise<void> {
    if (calls.length === 0) return;
    await manager.query(
      `INSERT INTO delivery_attempts (delivery_id, attempt_no, action, target, serial_no, outcome, error_code, error_message,
                                      target_record_id, retry_after_ms, started_at, latency_ms)
       SELECT $1, $2, a, $3, s, o, c, m, r, ra, st, l
         FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[], $11::timestamptz[], $12::int[])
              AS u(a, s, o, c, m, r, ra, st, l)`,
      [
        deliveryId, attemptNo, target,
        calls.map((c) => c.action), calls.map((c) => c.serialNo), calls.map((c) => c.outcome),
        calls.map((c) => c.errorCode ?? null), calls.map((c) => c.errorMessage?.slice(0, 1000) ?? null),
        calls.map((c) => c.targetRecordId ?? null), calls.map((c) => (c.retryAfterMs === undefined ? null : Math.round(c.retryAfterMs))),
        calls.map((c) => c.startedAt), calls.map((c) => c.latencyMs),
      ],
    );
  }

  async forDeliveries(deliveryIds: string[]): Promise<AttemptRow[]> {
    if (deliveryIds.length === 0) return [];
    return queryRows<AttemptRow>(
      this.dataSource.manager,
      'SELECT * FROM delivery_attempts WHERE delivery_id = ANY($1::bigint[]) ORDER BY delivery_id, id',
      [deliveryIds],
    );
  }
}
