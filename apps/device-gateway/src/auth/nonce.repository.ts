import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { queryOne, queryRows } from '@lib/persistence';

/** Nonces seen per device, shared by every replica through PostgreSQL. */
@Injectable()
export class NonceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records the nonce inside the caller's transaction; false when it is already in use. A row that has expired but not
   * yet been purged is taken over (its old request is outside the skew window, so it can no longer be replayed).
   * A concurrent request with the same nonce waits for this transaction and then sees it.
   */
  async claim(
    manager: EntityManager,
    deviceId: string,
    nonce: string,
    expiresAt: Date,
    now: Date,
  ): Promise<boolean> {
    const rows = await queryRows<unknown>(
      manager,
      `INSERT INTO device_nonces (device_id, nonce, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (device_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at
         WHERE device_nonces.expires_at <= $4
       RETURNING 1`,
      [deviceId, nonce, expiresAt, now],
    );
    return rows.length === 1;
  }

  /**
   * Whether the nonce was already consumed and has not expired: a read, so a replay is refused before it costs the
   * device a token. The claim inside the request's transaction stays the authority (two requests racing with one
   * nonce both pass here; only one claims it).
   */
  async isInUse(deviceId: string, nonce: string, now: Date): Promise<boolean> {
    const rows = await queryRows<unknown>(
      this.dataSource.manager,
      'SELECT 1 FROM device_nonces WHERE device_id = $1 AND nonce = $2 AND expires_at > $3',
      [deviceId, nonce, now],
    );
    return rows.length > 0;
  }

  /** Deletes up to `limit` expired nonces; small batches keep each statement short. */
  async purgeExpired(now: Date, limit: number): Promise<number> {
    const row = await queryOne<{ n: number }>(
      this.dataSource.manager,
      `WITH gone AS (
         DELETE FROM device_nonces WHERE ctid IN (SELECT ctid FROM device_nonces WHERE expires_at <= $1 LIMIT $2)
         RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [now, limit],
    );
    return row?.n ?? 0;
  }
}
