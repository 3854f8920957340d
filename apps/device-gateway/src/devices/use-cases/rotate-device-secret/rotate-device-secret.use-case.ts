import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '@lib/common';
import { actorOf, AuditLog, Principal } from '@lib/platform';
import { generateDeviceSecret, SecretCipher } from '../../../secrets/secret-cipher';
import { deviceNotFound } from '../../device-errors';
import { DeviceDirectory } from '../../device-directory';
import { DevicesRepository } from '../../devices.repository';

export interface RotatedSecret {
  deviceId: string;
  /** Shown once, here. */
  secret: string;
  rotatedAt: string;
}

/**
 * Replaces a device's secret. This replica switches at once; another replica keeps its cached copy (the old secret)
 * until GATEWAY_DEVICE_CACHE_TTL_MS passes, so a device given the new secret may see BAD_SIGNATURE there for up to
 * that long. Devices retry 401s after a pause (docs/device-gateway.md).
 */
@Injectable()
export class RotateDeviceSecretUseCase {
  private readonly logger = new Logger('Devices');

  constructor(
    private readonly dataSource: DataSource,
    private readonly devices: DevicesRepository,
    private readonly directory: DeviceDirectory,
    private readonly cipher: SecretCipher,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(deviceId: string, principal: Principal): Promise<RotatedSecret> {
    const secret = generateDeviceSecret();
    const at = this.clock.now();
    const actor = actorOf(principal);
    const sealed = this.cipher.seal(deviceId, Buffer.from(secret, 'utf8'));
    await this.dataSource.transaction(async (manager) => {
      const device = await this.devices.replaceSecret(
        manager,
        { deviceId, at, actor, scope: principal.scope },
        sealed,
      );
      if (!device) throw deviceNotFound(deviceId);
      await this.audit.record(manager, {
        at,
        actor,
        action: 'device.rotate-secret',
        targetType: 'device',
        targetId: deviceId,
        taxNo: device.taxNo,
        branchId: device.branchId,
        detail: { keyId: sealed.keyId },
      });
    });
    this.directory.invalidate(deviceId);
    this.logger.log({ deviceId, by: actor.subject }, 'device secret rotated');
    return { deviceId, secret, rotatedAt: at.toISOString() };
  }
}
