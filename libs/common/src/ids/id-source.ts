import { randomBytes, randomUUID } from 'node:crypto';

/**
 * New identifiers and secrets are a dependency, like time (clock/clock.ts): a service draws them from the operating
 * system's CSPRNG; a test that must know them ahead, or replay them, gives a source of its own.
 */
export interface IdSource {
  /** A random (version 4) UUID, for rows and messages. */
  uuid(): string;
  /** `bytes` random bytes: keys, nonces, IVs. */
  bytes(count: number): Buffer;
  /** `bytes` random bytes as base64url: opaque tokens, session ids, secrets shown once. */
  token(bytes: number): string;
}

export const ID_SOURCE = Symbol('ID_SOURCE');

export class CryptoIdSource implements IdSource {
  uuid(): string {
    return randomUUID();
  }

  bytes(count: number): Buffer {
    return randomBytes(count);
  }

  token(bytes: number): string {
    return randomBytes(bytes).toString('base64url');
  }
}

/**
 * A deterministic source for tests: UUIDs and bytes counted up from a seed, so that two sources with the same seed
 * answer the same sequence and a test can say which id a row will get. Never a service's source: its ids are guessable.
 */
export class SequenceIdSource implements IdSource {
  private next = 0;

  constructor(private readonly seed = 0) {}

  uuid(): string {
    const n = (this.seed * 0x10000 + this.next++).toString(16).padStart(12, '0').slice(-12);
    return `00000000-0000-4000-8000-${n}`;
  }

  bytes(count: number): Buffer {
    const out = Buffer.alloc(count);
    for (let i = 0; i < count; i += 1) out[i] = (this.seed + this.next + i) & 0xff;
    this.next += 1;
    return out;
  }

  token(bytes: number): string {
    return this.bytes(bytes).toString('base64url');
  }
}
