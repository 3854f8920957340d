import { IdSource } from '@lib/common';
import { MasterKeyRing, SealedValue, SealingCipher } from '@lib/platform';

/** A device secret at rest: which master key, and the AES-256-GCM output. */
export type SealedSecret = SealedValue;

/**
 * Encrypts device secrets with the shared AES-256-GCM cipher (@lib/platform) under the active master key. The device
 * id is the additional authenticated data: a ciphertext copied onto another device's row does not decrypt, so a
 * database writer cannot swap secrets between devices.
 */
export class SecretCipher extends SealingCipher {
  constructor(ring: MasterKeyRing | null) {
    super(ring, {
      keysVariable: 'GATEWAY_MASTER_KEYS',
      contents: 'device secrets',
      describe: (deviceId) => `the secret of device ${deviceId}`,
    });
  }
}

/** 32 random bytes, base64url: what a device is given as its secret. */
export function generateDeviceSecret(ids: IdSource): string {
  return ids.token(32);
}
