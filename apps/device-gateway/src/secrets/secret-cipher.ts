import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '@lib/common';
import { MasterKeyRing } from './master-key-ring';

/** A device secret at rest: which master key, and the AES-256-GCM output. */
export interface SealedSecret {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

const IV_BYTES = 12;
/** Every tag we write is 16 bytes; decryption insists on it, or a truncated tag (down to 4 bytes) would verify. */
const TAG_BYTES = 16;

/**
 * Encrypts device secrets with AES-256-GCM under the active master key. The device id is the additional
 * authenticated data: a ciphertext copied onto another device's row does not decrypt, so a database writer cannot
 * swap secrets between devices.
 */
export class SecretCipher {
  constructor(private readonly ring: MasterKeyRing | null) {}

  get activeKeyId(): string {
    return this.requireRing().activeKeyId;
  }

  get configured(): boolean {
    return this.ring !== null;
  }

  seal(deviceId: string, secret: Buffer): SealedSecret {
    const ring = this.requireRing();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', ring.keys.get(ring.activeKeyId) as Buffer, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(Buffer.from(deviceId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
    return { keyId: ring.activeKeyId, iv, ciphertext, tag: cipher.getAuthTag() };
  }

  open(deviceId: string, sealed: SealedSecret): Buffer {
    const key = this.requireRing().keys.get(sealed.keyId);
    if (!key) {
      throw new AppError(
        'SECRET_KEY_UNAVAILABLE',
        'unavailable',
        `master key "${sealed.keyId}" is not configured`,
        {
          retryAfterSeconds: 60,
        },
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(deviceId, 'utf8'));
      decipher.setAuthTag(sealed.tag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
    } catch (error) {
      // A wrong key under the right id, or a tampered row: never a reason to let a request in.
      throw new AppError(
        'SECRET_UNREADABLE',
        'internal',
        `the secret of device ${deviceId} cannot be decrypted`,
        { cause: error },
      );
    }
  }

  /** Re-encrypts under the active key; null when the row already uses it. */
  reseal(deviceId: string, sealed: SealedSecret): SealedSecret | null {
    if (sealed.keyId === this.activeKeyId) return null;
    return this.seal(deviceId, this.open(deviceId, sealed));
  }

  private requireRing(): MasterKeyRing {
    if (!this.ring) {
      throw new AppError(
        'SECRET_STORE_DISABLED',
        'unavailable',
        'device secrets cannot be used: GATEWAY_MASTER_KEYS is not set',
        {
          retryAfterSeconds: 60,
        },
      );
    }
    return this.ring;
  }
}

/** 32 random bytes, base64url: what a device is given as its secret. */
export function generateDeviceSecret(): string {
  return randomBytes(32).toString('base64url');
}
