import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '@lib/common';
import { MasterKeyRing } from './master-key-ring';
import { PlatformErrorCode } from '../platform-error-codes';

/** A value at rest: which master key, and the AES-256-GCM output. */
export interface SealedValue {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/** How a service names what it seals, for its error messages. */
export interface SealingCipherNames {
  /** The variable holding the keys, e.g. `GATEWAY_MASTER_KEYS`. */
  keysVariable: string;
  /** What is sealed, e.g. `device secrets`. */
  contents: string;
  /** The sealed value an AAD belongs to, e.g. `the secret of device dev_1`. */
  describe: (aad: string) => string;
}

const IV_BYTES = 12;
/** Every tag we write is 16 bytes; decryption insists on it, or a truncated tag (down to 4 bytes) would verify. */
const TAG_BYTES = 16;

/**
 * AES-256-GCM under the active key of a master key ring. The caller's AAD (additional authenticated data) binds a
 * ciphertext to where it belongs (the gateway: the device id; sync: the token key): copied anywhere else, it does not
 * decrypt, so a database writer cannot swap sealed values between rows.
 *
 * Errors (AppError codes): SECRET_STORE_DISABLED (no keys), SECRET_KEY_UNAVAILABLE (the value's key id is not in the
 * ring), SECRET_UNREADABLE (wrong key under that id, another AAD, or tampering). None carries key material or
 * plaintext.
 */
export class SealingCipher {
  constructor(
    private readonly ring: MasterKeyRing | null,
    private readonly names: SealingCipherNames,
  ) {}

  get activeKeyId(): string {
    return this.requireRing().activeKeyId;
  }

  get configured(): boolean {
    return this.ring !== null;
  }

  /** Throws SECRET_STORE_DISABLED (naming the keys' variable) when there are no keys. */
  assertConfigured(): void {
    this.requireRing();
  }

  /** Whether the ring holds the key a value was sealed with. */
  hasKey(keyId: string): boolean {
    return this.ring?.keys.has(keyId) ?? false;
  }

  seal(aad: string, plaintext: Buffer): SealedValue {
    const ring = this.requireRing();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', ring.keys.get(ring.activeKeyId) as Buffer, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { keyId: ring.activeKeyId, iv, ciphertext, tag: cipher.getAuthTag() };
  }

  open(aad: string, sealed: SealedValue): Buffer {
    const key = this.requireRing().keys.get(sealed.keyId);
    if (!key) {
      throw new AppError(
        PlatformErrorCode.SECRET_KEY_UNAVAILABLE,
        'unavailable',
        `master key "${sealed.keyId}" is not configured`,
        {
          retryAfterSeconds: 60,
        },
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(sealed.tag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
    } catch (error) {
      // A wrong key under the right id, another AAD, or a tampered row: never a reason to trust the value.
      throw new AppError(
        PlatformErrorCode.SECRET_UNREADABLE,
        'internal',
        `${this.names.describe(aad)} cannot be decrypted`,
        {
          cause: error,
        },
      );
    }
  }

  /** Re-encrypts under the active key; null when the value already uses it. */
  reseal(aad: string, sealed: SealedValue): SealedValue | null {
    if (sealed.keyId === this.activeKeyId) return null;
    return this.seal(aad, this.open(aad, sealed));
  }

  private requireRing(): MasterKeyRing {
    if (!this.ring) {
      throw new AppError(
        PlatformErrorCode.SECRET_STORE_DISABLED,
        'unavailable',
        `${this.names.contents} cannot be used: ${this.names.keysVariable} is not set`,
        { retryAfterSeconds: 60 },
      );
    }
    return this.ring;
  }
}
