import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK, isAppError } from '@lib/common';
import { actorOf, AuditLog, Principal } from '@lib/platform';
import { SecretCipher } from '../../secrets/secret-cipher';
import { DevicesRepository } from '../../devices/devices.repository';

export interface ReencryptionReport {
  activeKeyId: string;
  reencrypted: number;
  /** Devices whose secret could not be opened (its key is not configured, or the row is damaged). */
  failed: string[];
  /** Rows still under another key (failed ones, or rows another replica was re-encrypting meanwhile). */
  remaining: number;
}

const BATCH = 200;
const MAX_REPORTED_FAILURES = 100;

/**
 * Master key rotation: after adding a new key to GATEWAY_MASTER_KEYS and making it GATEWAY_ACTIVE_KEY_ID, this
 * re-encrypts every secret still under an older key, in short transactions (rows locked, other replicas skip them).
 * Once `remaining` is 0 the old key can be removed from the configuration.
 */
@Injectable()
export class ReencryptSecretsUseCase {
  private readonly logger = new Logger('Devices');

  constructor(
    private readonly dataSource: DataSource,
    private readonly devices: DevicesRepository,
    private readonly cipher: SecretCipher,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(principal: Principal): Promise<ReencryptionReport> {
    const activeKeyId = this.cipher.activeKeyId;
    const failed: string[] = [];
    let reencrypted = 0;
    for (let after = '', more = true; more;) {
      await this.dataSource.transaction(async (manager) => {
        const rows = await this.devices.lockSealedUnderOtherKeys(manager, activeKeyId, after, BATCH);
        for (const row of rows) {
          try {
            const sealed = this.cipher.reseal(row.deviceId, row.sealed);
            if (sealed) await this.devices.storeSealed(manager, row.deviceId, sealed);
            reencrypted++;
          } catch (error) {
            if (!isAppError(error)) throw error;
            if (failed.length < MAX_REPORTED_FAILURES) failed.push(row.deviceId);
          }
        }
        more = rows.length === BATCH;
        after = rows[rows.length - 1]?.deviceId ?? after;
      });
    }
    // The batches above commit one by one (short locks); the count and the audit entry of the whole run commit together.
    const actor = actorOf(principal);
    const remaining = await this.dataSource.transaction(async (manager) => {
      const left = await this.devices.countSealedUnderOtherKeys(manager, activeKeyId);
      await this.audit.record(manager, {
        at: this.clock.now(),
        actor,
        action: 'secrets.re-encrypt',
        targetType: 'master-key',
        targetId: activeKeyId,
        detail: { reencrypted, failed: failed.length, remaining: left },
      });
      return left;
    });
    this.logger.log(
      { activeKeyId, reencrypted, failed: failed.length, remaining, by: actor.subject },
      'device secrets re-encrypted',
    );
    return { activeKeyId, reencrypted, failed, remaining };
  }
}
