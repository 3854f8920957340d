import { z } from 'zod';
import {
  DEFAULT_IDP_AUDIENCE,
  DEV_IDP_CLIENT,
  idpClientSchema,
  idpPersonSchema,
  parsePrivateJwks,
  type IdpOptions,
} from '@lib/simulators';

const list = (fallback: readonly string[]) =>
  z
    .string()
    .optional()
    .transform((raw) =>
      raw === undefined
        ? [...fallback]
        : raw
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    );

/** The identity provider's part of the sandbox environment (docs/sandbox.md, "The identity provider"). */
export const idpEnvShape = {
  /** Origin browsers and services reach the sandbox's control port at; the issuer is `<it>/idp`. */
  SANDBOX_PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .refine((raw) => ['', '/'].includes(new URL(raw).pathname) && !new URL(raw).search, {
      message: 'must be an origin (scheme, host, port) without a path: the IdP lives at <it>/idp',
    })
    .transform((raw) => new URL(raw).origin)
    .optional(),
  /** JSON array of {username, password, name, email, roles, branches}; unset: the demo people. */
  SANDBOX_IDP_USERS: z.string().optional(),
  SANDBOX_IDP_CLIENT_ID: z.string().default(DEV_IDP_CLIENT.clientId),
  SANDBOX_IDP_CLIENT_SECRET: z.string().default(DEV_IDP_CLIENT.clientSecret),
  SANDBOX_IDP_REDIRECT_URIS: list(DEV_IDP_CLIENT.redirectUris),
  SANDBOX_IDP_POST_LOGOUT_REDIRECT_URIS: list(DEV_IDP_CLIENT.postLogoutRedirectUris),
  SANDBOX_IDP_API_AUDIENCE: z.string().min(1).default(DEFAULT_IDP_AUDIENCE),
  /** JSON private JWKS, so that a restart keeps the signing keys; unset: a new RS256 key at each start. */
  SANDBOX_IDP_JWKS: z.string().optional(),
};

type IdpEnv = z.output<z.ZodObject<typeof idpEnvShape>>;

function peopleFromEnv(raw: string): NonNullable<IdpOptions['people']> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    // JSON.parse's message quotes the text around the error, which may be someone's password.
    throw new Error('SANDBOX_IDP_USERS must be a JSON array of people');
  }
  const parsed = z.array(idpPersonSchema).safeParse(value);
  if (!parsed.success) throw new Error(`SANDBOX_IDP_USERS:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The IdP options from the parsed environment (throws a readable message on bad values). */
export function idpOptionsFromEnv(e: IdpEnv): IdpOptions {
  const client = idpClientSchema.safeParse({
    client_id: e.SANDBOX_IDP_CLIENT_ID,
    client_secret: e.SANDBOX_IDP_CLIENT_SECRET,
    redirect_uris: e.SANDBOX_IDP_REDIRECT_URIS,
    post_logout_redirect_uris: e.SANDBOX_IDP_POST_LOGOUT_REDIRECT_URIS,
  });
  if (!client.success) {
    throw new Error(
      `SANDBOX_IDP_CLIENT_ID / _CLIENT_SECRET / _REDIRECT_URIS / _POST_LOGOUT_REDIRECT_URIS:\n${z.prettifyError(client.error)}`,
    );
  }
  return {
    people: e.SANDBOX_IDP_USERS === undefined ? undefined : peopleFromEnv(e.SANDBOX_IDP_USERS),
    client: client.data,
    audience: e.SANDBOX_IDP_API_AUDIENCE,
    jwks: e.SANDBOX_IDP_JWKS === undefined ? undefined : parsePrivateJwks(e.SANDBOX_IDP_JWKS),
  };
}
