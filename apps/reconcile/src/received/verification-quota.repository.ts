import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { VerificationQuotaGate } from '@lib/providers';
import { RECEIVED_SETTINGS, ReceivedSettings } from './received.settings';

/**
 * Our count of each invoice's 查验 per channel and Shanghai day, in PostgreSQL so that every replica shares it. A check
 * is taken (one atomic upsert that refuses past the limit) before the call is made, so a check the service would answer
 * 05 is never sent, and two replicas can never together exceed it.
 */
@Injectable()
export class VerificationQuotaRepository {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(RECEIVED_SETTINGS) private readonly settings: ReceivedSettings,
  ) {}

  gate(invoiceKey: string, day: string): VerificationQuotaGate {
    const limit = this.settings.dailyQuota;
    const db = this.dataSource;
    return {
      async take(channel) {
        if (limit <= 0) return false;
        const rows = (await db.query(
          `INSERT INTO received_check_quota AS q (invoice_key, channel, day, used) VALUES ($1, $2, $3, 1)
           ON CONFLICT (invoice_key, channel, day) DO UPDATE SET used = q.used + 1 WHERE q.used < $4
           RETURNING used`,
          [invoiceKey, channel, day, limit],
        )) as unknown[];
        return rows.length > 0;
      },
      async giveBack(channel) {
        await db.query('UPDATE received_check_quota SET used = GREATEST(used - 1, 0) WHERE invoice_key = $1 AND channel = $2 AND day = $3', [
          invoiceKey,
          channel,
          day,
        ]);
      },
      async exhaust(channel) {
        await db.query(
          `INSERT INTO received_check_quota AS q (invoice_key, channel, day, used) VALUES ($1, $2, $3, $4)
           ON CONFLICT (invoice_key, channel, day) DO UPDATE SET used = GREATEST(q.used, $4)`,
          [invoiceKey, channel, day, limit],
        );
      },
    };
  }

  /** Checks left today per channel (for the API's answer). */
  async left(invoiceKey: string, day: string, channels: readonly string[]): Promise<Record<string, number>> {
    const rows = (await this.dataSource.query('SELECT channel, used FROM received_check_quota WHERE invoice_key = $1 AND day = $2', [
      invoiceKey,
      day,
    ])) as { channel: string; used: number }[];
    const used = new Map(rows.map((r) => [r.channel, r.used]));
    return Object.fromEntries(channels.map((c) => [c, Math.max(0, this.settings.dailyQuota - (used.get(c) ?? 0))]));
  }
}
