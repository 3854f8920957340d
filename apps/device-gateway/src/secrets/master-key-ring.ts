import { KeyRingParse, parseMasterKeys as parseKeyRing } from '@lib/platform';

// The key ring lives in @lib/platform (shared with sync's platform tokens); the gateway names its own variables.
export type { KeyRingParse, MasterKey, MasterKeyRing } from '@lib/platform';

/**
 * GATEWAY_MASTER_KEYS (`k1:<base64 of 32 bytes>,k2:...`) and GATEWAY_ACTIVE_KEY_ID. Empty → null (secrets cannot be
 * stored: the admin API and device authentication answer 503 until keys are configured). Problems never echo key
 * material.
 */
export function parseMasterKeys(spec: string, activeKeyId: string): KeyRingParse {
  return parseKeyRing(spec, activeKeyId, 'GATEWAY_ACTIVE_KEY_ID');
}
