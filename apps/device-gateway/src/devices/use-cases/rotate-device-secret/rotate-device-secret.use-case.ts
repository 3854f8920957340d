import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, CLOCK } from '@lib/common';
import { AdminPrincipal } from '@lib/platform';
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
    private readonly devices: DevicesRepository,
    private readonly directory: DeviceDirectory,
    private readonly cipher: SecretCipher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(deviceId: string, admin: AdminPrincipal): Promise<RotatedSecret> {
    const secret = generateDeviceSecret();
    const now = this.clock.now();
    const device = await this.devices.replaceSecret(
      deviceId,
      this.cipher.seal(deviceId, Buffer.from(secret, 'utf8')),
      now,
    );
    this.directory.invalidate(deviceId);
    if (!device) throw deviceNotFound(deviceId);
    this.logger.log({ deviceId, by: admin.id }, 'device secret rotated');
    return { deviceId, secret, rotatedAt: now.toISOString() };
  }
}
