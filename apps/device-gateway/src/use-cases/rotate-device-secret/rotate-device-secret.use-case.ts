import { Inject, Injectable, Logger } from '@nestjs/common';
import { ID_SOURCE, IdSource } from '@lib/common';
import { Principal } from '@lib/platform';
import { generateDeviceSecret, SecretCipher } from '../../secrets/secret-cipher';
import { DeviceChangeRunner } from '../../devices/changes/device-change.runner';

export interface RotatedSecret {
  deviceId: string;
  /** Shown once, here. */
  secret: string;
  rotatedAt: string;
}

/**
 * Replaces a device's secret. This replica switches at once; another replica keeps its cached copy (the old secret)
 * until GATEWAY_DEVICE_CACHE_TTL_MS passes, so a device given the new secret may see BAD_SIGNATURE there for up to
 * that long. Devices retry 401s after a pause (docs/device-gateway.md). The status stays as it is.
 */
@Injectable()
export class RotateDeviceSecretUseCase {
  private readonly logger = new Logger('Devices');

  constructor(
    private readonly runner: DeviceChangeRunner,
    private readonly cipher: SecretCipher,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
  ) {}

  async execute(deviceId: string, principal: Principal): Promise<RotatedSecret> {
    const secret = generateDeviceSecret(this.ids);
    const sealed = this.cipher.seal(deviceId, Buffer.from(secret, 'utf8'));
    const { device } = await this.runner.run(deviceId, principal, (current, at) => ({
      next: { ...current, sealed, secretRotatedAt: at },
      change: 'secret-rotated',
      reason: null,
      detail: { keyId: sealed.keyId },
    }));
    this.logger.log({ deviceId, by: principal.subject }, 'device secret rotated');
    return { deviceId, secret, rotatedAt: (device.secretRotatedAt ?? device.updatedAt).toISOString() };
  }
}
