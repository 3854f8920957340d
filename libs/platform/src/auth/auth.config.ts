import { z } from 'zod';
import { envInt, envString } from '@lib/common';
import { Role, ROLES } from './principal';
import { PersonTokenSettings } from './person-token.verifier';

const roleMapSchema = z
  .string()
  .transform((raw, ctx) => {
    if (raw.trim() === '') return {};
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object of IdP role → product role' });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(z.string().min(1), z.enum(ROLES, { message: `each value must be one of ${ROLES.join(', ')}` })),
  );

/**
 * How people's access tokens are checked, shared by every service (`serviceEnvSchema`). AUTH_ISSUER unset: no person can
 * call the service (service accounts still can).
 */
export const authEnvShape = {
  /** The IdP's issuer URL; the `iss` of the access tokens. */
  AUTH_ISSUER: envString(''),
  /** The `aud` the IdP gives access tokens meant for the services. */
  AUTH_AUDIENCE: envString('urn:invoice-sync:api'),
  /** The IdP's JWKS URL; unset: read from the issuer's discovery document. */
  AUTH_JWKS_URL: envString(''),
  /** Dot path of the roles claim (Keycloak: `realm_access.roles`; Entra ID: `roles`). */
  AUTH_ROLES_CLAIM: envString('roles'),
  /** Dot path of the claim listing a clerk's branch ids. */
  AUTH_BRANCHES_CLAIM: envString('branches'),
  AUTH_NAME_CLAIM: envString('name'),
  /** JSON object mapping the IdP's role or group values to product roles, e.g. {"fin-clerks":"branch-clerk"}. */
  AUTH_ROLE_MAP: z
    .string()
    .optional()
    .transform((raw) => raw ?? '')
    .pipe(roleMapSchema),
  AUTH_CLOCK_TOLERANCE_SECONDS: envInt(30),
};

export interface AuthEnv {
  AUTH_ISSUER: string;
  AUTH_AUDIENCE: string;
  AUTH_JWKS_URL: string;
  AUTH_ROLES_CLAIM: string;
  AUTH_BRANCHES_CLAIM: string;
  AUTH_NAME_CLAIM: string;
  AUTH_ROLE_MAP: Record<string, Role>;
  AUTH_CLOCK_TOLERANCE_SECONDS: number;
}

/** The verifier's settings, or null when no IdP is configured. */
export function personTokenSettings(config: AuthEnv): PersonTokenSettings | null {
  if (!config.AUTH_ISSUER) return null;
  return {
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    jwksUrl: config.AUTH_JWKS_URL,
    rolesClaim: config.AUTH_ROLES_CLAIM,
    branchesClaim: config.AUTH_BRANCHES_CLAIM,
    nameClaim: config.AUTH_NAME_CLAIM,
    roleMap: config.AUTH_ROLE_MAP,
    clockToleranceSeconds: config.AUTH_CLOCK_TOLERANCE_SECONDS,
    fetchTimeoutMs: 5_000,
  };
}
