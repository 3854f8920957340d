/**
 * Every class (first key) of the two-key PostgreSQL advisory locks the services take, in one place. Advisory locks are
 * per database, not per schema: services sharing a database share this namespace, so two uses with one class would
 * wait on each other whenever their second keys (usually `hashtext(...)`) happen to be equal. A new use takes a new
 * number here; a number is never reused while a release that takes it for something else may still be running.
 */
export const ADVISORY_LOCK_CLASSES = {
  /** Reserved for callers that serialise their own work per outbox key (libs/messaging outbox-writer). */
  outboxKey: 7_300_001,
  /** Outbox relay leadership: one leader per outbox (session lock). */
  outboxRelayLeader: 7_300_002,
  /** enqueueOutbox, and the gateway's idempotency claims: one per (outbox table, key bucket). */
  outboxBucket: 7_300_003,
  /** Schema preparation at start: one per schema (session lock). */
  schemaMigration: 7_300_004,
  /** sync: token renewals per provider credential. */
  syncTokenRenewal: 7_300_101,
  /** reconcile: the one replica that schedules runs. */
  reconcileScheduler: 7_300_102,
  /** reconcile: ledger projection writes per invoice family. */
  reconcileInvoiceFamily: 7_300_103,
  /** reconcile: the compare phase of one scope (taxNo/period). Was 7_300_101, sync's token class, until issue 17. */
  reconcileScope: 7_300_104,
} as const;

export type AdvisoryLockUse = keyof typeof ADVISORY_LOCK_CLASSES;
