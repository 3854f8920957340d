import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { AppError } from '@lib/common';
import { Principal, Role, ROLES, scopeForRoles } from './principal';
import { PlatformErrorCode } from '../platform-error-codes';

/** How a person's access token is checked and how its claims become roles and branches (see docs/console.md). */
export interface PersonTokenSettings {
  /** The IdP's issuer URL (`iss`). */
  issuer: string;
  /** The API's audience (`aud`) the IdP puts in access tokens meant for the services. */
  audience: string;
  /** JWKS URL; empty: the `jwks_uri` of the issuer's discovery document. */
  jwksUrl: string;
  /** Dot path of the roles claim (`roles`; Keycloak: `realm_access.roles`). */
  rolesClaim: string;
  /** Dot path of the branches claim. */
  branchesClaim: string;
  /** Dot path of the display name. */
  nameClaim: string;
  /** IdP role value → product role; values neither mapped nor a product role are ignored. */
  roleMap: Record<string, Role>;
  /** Seconds of clock skew accepted on exp/nbf/iat. */
  clockToleranceSeconds: number;
  /** Deadline of the discovery and JWKS fetches. */
  fetchTimeoutMs: number;
}

type KeySet = ReturnType<typeof createRemoteJWKSet>;

/** Verifies a person's JWT access token against the IdP's published keys (jose) and maps its claims. */
export class PersonTokenVerifier {
  private keys: Promise<KeySet> | null = null;

  constructor(
    private readonly settings: PersonTokenSettings,
    private readonly fetchJson: (url: string, timeoutMs: number) => Promise<unknown> = defaultFetchJson,
  ) {}

  async verify(token: string): Promise<Principal> {
    const keys = await this.keySet();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        clockTolerance: this.settings.clockToleranceSeconds,
      }));
    } catch (error) {
      throw this.translate(error);
    }
    return this.principalOf(payload);
  }

  principalOf(payload: JWTPayload): Principal {
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new AppError(
        PlatformErrorCode.INVALID_TOKEN,
        'unauthorized',
        'the access token names no subject',
      );
    }
    const roles = this.roles(claimAt(payload, this.settings.rolesClaim));
    if (roles.length === 0)
      throw new AppError(PlatformErrorCode.NO_ROLE, 'forbidden', 'the person has no role in this product');
    const branches = strings(claimAt(payload, this.settings.branchesClaim));
    const name = claimAt(payload, this.settings.nameClaim);
    return {
      kind: 'person',
      subject: payload.sub,
      name: typeof name === 'string' && name.trim() ? name.trim().slice(0, 200) : payload.sub,
      roles,
      scope: scopeForRoles(roles, branches),
    };
  }

  private roles(value: unknown): Role[] {
    const found = new Set<Role>();
    for (const raw of strings(value)) {
      const mapped =
        this.settings.roleMap[raw] ??
        ((ROLES as readonly string[]).includes(raw) ? (raw as Role) : undefined);
      if (mapped) found.add(mapped);
    }
    return [...found];
  }

  private keySet(): Promise<KeySet> {
    if (!this.keys) {
      this.keys = this.resolveJwksUrl().then((url) =>
        createRemoteJWKSet(new URL(url), {
          timeoutDuration: this.settings.fetchTimeoutMs,
          cooldownDuration: 30_000,
        }),
      );
      // A failed discovery is tried again on the next request instead of being remembered.
      this.keys.catch(() => (this.keys = null));
    }
    return this.keys;
  }

  private async resolveJwksUrl(): Promise<string> {
    if (this.settings.jwksUrl) return this.settings.jwksUrl;
    const url = `${this.settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let document: unknown;
    try {
      document = await this.fetchJson(url, this.settings.fetchTimeoutMs);
    } catch (error) {
      throw new AppError(
        PlatformErrorCode.IDP_UNAVAILABLE,
        'unavailable',
        'the identity provider could not be reached',
        {
          cause: error,
          retryAfterSeconds: 5,
        },
      );
    }
    const jwksUri = (document as { jwks_uri?: unknown } | null)?.jwks_uri;
    if (typeof jwksUri !== 'string')
      throw new AppError(
        PlatformErrorCode.IDP_UNAVAILABLE,
        'unavailable',
        'the identity provider publishes no jwks_uri',
      );
    return jwksUri;
  }

  private translate(error: unknown): AppError {
    if (error instanceof AppError) return error;
    if (error instanceof joseErrors.JWTExpired)
      return new AppError(PlatformErrorCode.TOKEN_EXPIRED, 'unauthorized', 'the access token has expired');
    if (error instanceof joseErrors.JWKSTimeout || isNetworkError(error)) {
      return new AppError(
        PlatformErrorCode.IDP_UNAVAILABLE,
        'unavailable',
        'the identity provider keys could not be fetched',
        { cause: error, retryAfterSeconds: 5 },
      );
    }
    return new AppError(
      PlatformErrorCode.INVALID_TOKEN,
      'unauthorized',
      'the access token is not valid here',
    );
  }
}

function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError && /fetch/i.test(error.message);
}

async function defaultFetchJson(url: string, timeoutMs: number): Promise<unknown> {
  const response = await fetch(url, {
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= 128);
}

/** A JWT has three dot-separated base64url parts; a service token is anything else. */
export function looksLikeJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
}
