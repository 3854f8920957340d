import type { SandboxTarget } from '../faults/fault.schema';

export interface TargetCounters {
  received: number;
  accepted: number;
  /** A second upload of the same invoice by the same channel (what a careless retry causes). */
  duplicates: number;
  /** The invoice keys of the latest duplicates (at most 100), to find out which deliveries caused them. */
  duplicateKeys: string[];
  /** Authority only: an issue or void arriving by a channel that had not delivered it yet, after another one had (expected when an invoice goes to both). */
  relayedDuplicates: number;
  rejected: number;
  signatureFailures: number;
  authFailures: number;
  tokenRequests: number;
  faults: {
    latency: number;
    errors: number;
    hangs: number;
    outages: number;
    rateLimited: number;
    responsesLost: number;
    neverVisible: number;
    slowPages: number;
  };
}

function emptyCounters(): TargetCounters {
  return {
    received: 0,
    accepted: 0,
    duplicates: 0,
    duplicateKeys: [],
    relayedDuplicates: 0,
    rejected: 0,
    signatureFailures: 0,
    authFailures: 0,
    tokenRequests: 0,
    faults: {
      latency: 0,
      errors: 0,
      hangs: 0,
      outages: 0,
      rateLimited: 0,
      responsesLost: 0,
      neverVisible: 0,
      slowPages: 0,
    },
  };
}

const DUPLICATE_KEYS_KEPT = 100;

/** Counts a same-channel duplicate and remembers its key (the latest ones only). */
export function countDuplicate(counters: TargetCounters, key: string): void {
  counters.duplicates += 1;
  counters.duplicateKeys.push(key);
  if (counters.duplicateKeys.length > DUPLICATE_KEYS_KEPT) counters.duplicateKeys.shift();
}

/** Per-target counters behind `GET /__sandbox/state`. */
export class SandboxCounters {
  private counters = new Map<SandboxTarget, TargetCounters>();

  of(target: SandboxTarget): TargetCounters {
    let counters = this.counters.get(target);
    if (!counters) {
      counters = emptyCounters();
      this.counters.set(target, counters);
    }
    return counters;
  }

  snapshot(target: SandboxTarget): TargetCounters {
    const counters = this.of(target);
    return { ...counters, faults: { ...counters.faults } };
  }

  /** Zeroes in place: request handlers keep references to their target's counters. */
  reset(): void {
    for (const counters of this.counters.values()) Object.assign(counters, emptyCounters());
  }
}
