import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'oidc-provider';
import { z } from 'zod';

/** A private JWKS (SANDBOX_IDP_JWKS): every key must carry its private part. */
export const privateJwksSchema = z.object({
  keys: z
    .array(
      z.looseObject({
        kty: z.enum(['RSA', 'EC', 'OKP']),
        d: z.string({ error: 'a signing key needs its private part (d)' }).min(1),
        kid: z.string().optional(),
        alg: z.string().optional(),
        use: z.literal('sig').optional(),
      }),
    )
    .min(1),
});
export type PrivateJwks = { keys: JWK[] };

/** Parses SANDBOX_IDP_JWKS (a JSON private JWKS), so that restarts can keep the keys tokens were signed with. */
export function parsePrivateJwks(raw: string): PrivateJwks {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error('SANDBOX_IDP_JWKS must be a JSON private JWKS ({"keys":[...]})');
  }
  const parsed = privateJwksSchema.safeParse(value);
  if (!parsed.success) throw new Error(`SANDBOX_IDP_JWKS: ${z.prettifyError(parsed.error)}`);
  return { keys: parsed.data.keys as JWK[] };
}

/** A fresh RS256 signing key (the default: a restart invalidates the tokens issued before it). */
export async function generateSigningJwks(): Promise<PrivateJwks> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' } as JWK] };
}
