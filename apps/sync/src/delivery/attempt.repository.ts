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

export interface AttemptInsert {
  deliveryId: string;
  attemptNo: number;
  target: TargetName;
  call: CallRecord;
}

/** The log of every call made to a target, in one insert per recorded batch of outcomes. */
@Injectable()
export class AttemptRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, deliveryId: string, attemptNo: number, target: TargetName, calls: CallRecord[]): Promise<void> {
    await this.insertMany(manager, calls.map((call) => ({ deliveryId, attemptNo, target, call })));
  }

  /** The calls of several deliveries in one insert. */
  async insertMany(manager: EntityManager, rows: AttemptInsert[]): Promise<void> {
    if (rows.length === 0) return;
    const calls = rows.map((r) => r.call);
    await manager.query(
      `INSERT INTO delivery_attempts (delivery_id, attempt_no, action, target, serial_no, outcome, error_code, error_message,
                                      target_record_id, retry_after_ms, started_at, latency_ms)
       SELECT d, n, a, t, s, o, c, m, r, ra, st, l
         FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                     $9::text[], $10::int[], $11::timestamptz[], $12::int[])
              AS u(d, n, a, t, s, o, c, m, r, ra, st, l)`,
      [
        rows.map((r) => r.deliveryId), rows.map((r) => r.attemptNo), calls.map((c) => c.action), rows.map((r) => r.target),
        calls.map((c) => c.serialNo), calls.map((c) => c.outcome),
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
