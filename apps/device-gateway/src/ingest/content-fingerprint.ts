import { createHash } from 'node:crypto';

/**
 * SHA-256 of a value's JSON: the content fingerprint idempotency compares. Only for values that came out of a
 * contracts schema: its parser emits object keys in the schema's order whatever order the sender used, applies
 * defaults (a missing `original` and an explicit `null` are the same content) and drops unknown keys, so the JSON
 * text is already canonical; sorting keys again cost three times as much, for every invoice.
 *
 * A fingerprint is stored with every eventId: if a contract change altered it (a new defaulted field, a reordered
 * schema), a device retrying an item sent before the deploy would be answered IDEMPOTENCY_CONFLICT. The pinned
 * fingerprint in content-fingerprint.spec.ts fails first; such a change needs a migration of stored fingerprints.
 */
export function contentFingerprint(value: unknown): Buffer {
  return createHash('sha256').update(JSON.stringify(value)).digest();
}
