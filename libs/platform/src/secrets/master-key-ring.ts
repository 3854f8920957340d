/** One AES-256 master key, named so that rows can say which key encrypted them. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

export interface MasterKeyRing {
  keys: ReadonlyMap<string, Buffer>;
  /** The key new values are sealed with; older keys stay to open what they sealed until it is re-sealed. */
  activeKeyId: string;
}

const KEY_ID = /^[A-Za-z0-9_.-]{1,32}$/;

export type KeyRingParse = { ok: true; ring: MasterKeyRing | null } | { ok: false; problem: string };

/**
 * Parses `k1:<base64 of 32 bytes>,k2:...` plus the active key id (a service's `<X>_MASTER_KEYS` and
 * `<X>_ACTIVE_KEY_ID`; `activeKeyVariable` names the latter in problems). Empty → null: the service decides what
 * works without keys. The active id may be left empty when there is exactly one key. Problems never echo key material.
 */
export function parseMasterKeys(spec: string, activeKeyId: string, activeKeyVariable: string): KeyRingParse {
  if (spec.trim() === '') return { ok: true, ring: null };
  const keys = new Map<string, Buffer>();
  for (const [position, entry] of spec.split(',').entries()) {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon).trim();
    const material = colon < 0 ? '' : entry.slice(colon + 1).trim();
    if (!KEY_ID.test(id))
      return {
        ok: false,
        problem: `entry ${position + 1}: expected <id>:<base64 key>, id of [A-Za-z0-9_.-]`,
      };
    if (keys.has(id)) return { ok: false, problem: `key id "${id}" appears twice` };
    const key = Buffer.from(material, 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(material)) {
      return { ok: false, problem: `key "${id}" must be 32 bytes, base64-encoded` };
    }
    keys.set(id, key);
  }
  const active = activeKeyId.trim() || (keys.size === 1 ? [...keys.keys()][0] : '');
  if (!active) return { ok: false, problem: `several keys are given: ${activeKeyVariable} must name one` };
  if (!keys.has(active))
    return { ok: false, problem: `${activeKeyVariable} "${active}" is not among the keys` };
  return { ok: true, ring: { keys, activeKeyId: active } };
}
