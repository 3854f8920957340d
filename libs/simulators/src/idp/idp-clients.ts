import { z } from 'zod';

const redirectUri = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .refine((uri) => !uri.includes('#'), 'must not contain a fragment');

/** A relying party as `POST /__sandbox/idp/clients` takes it (tests pick their callback ports at run time). */
export const idpClientSchema = z.strictObject({
  client_id: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\w.:-]+$/, 'letters, digits and . _ : - only'),
  client_secret: z.string().min(8).max(256),
  redirect_uris: z.array(redirectUri).min(1).max(20),
  post_logout_redirect_uris: z.array(redirectUri).max(20).default([]),
});
export type IdpClientInput = z.input<typeof idpClientSchema>;
export type IdpClientSpec = z.output<typeof idpClientSchema>;

/** Development client of the console (SANDBOX_IDP_CLIENT_ID / _SECRET): valid nowhere but the sandbox. */
export const DEV_IDP_CLIENT = {
  clientId: 'invoice-console',
  clientSecret: 'sandbox-console-secret',
  redirectUris: ['http://127.0.0.1:3004/auth/callback', 'http://localhost:3004/auth/callback'],
  postLogoutRedirectUris: ['http://127.0.0.1:3004/', 'http://localhost:3004/'],
} as const;

/** A registered client as the control API shows it (no secret). */
export interface IdpClientView {
  client_id: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
}

/** Client metadata as oidc-provider reads it: confidential, authorization code (PKCE) and refresh token only. */
export type IdpClientMetadata = IdpClientSpec & {
  grant_types: string[];
  response_types: string[];
  token_endpoint_auth_method: string;
  application_type: string;
};

/** The registered relying parties. oidc-provider reads them through the adapter's `Client` model at each request. */
export class IdpClients {
  private readonly clients = new Map<string, IdpClientMetadata>();

  /** Registers the client, or replaces the one with the same client_id. */
  upsert(spec: IdpClientSpec): IdpClientView {
    this.clients.set(spec.client_id, {
      ...spec,
      redirect_uris: [...spec.redirect_uris],
      post_logout_redirect_uris: [...spec.post_logout_redirect_uris],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // client_secret_post is accepted as well: oidc-provider takes either for a client with a secret.
      token_endpoint_auth_method: 'client_secret_basic',
      application_type: 'web',
    });
    return this.view(spec.client_id)!;
  }

  metadata(clientId: string): IdpClientMetadata | undefined {
    const found = this.clients.get(clientId);
    return found && { ...found };
  }

  /** Without secrets. */
  view(clientId: string): IdpClientView | undefined {
    const found = this.clients.get(clientId);
    if (!found) return undefined;
    const { client_id, redirect_uris, post_logout_redirect_uris } = found;
    return { client_id, redirect_uris, post_logout_redirect_uris };
  }

  list(): IdpClientView[] {
    return [...this.clients.keys()].map((id) => this.view(id)!);
  }
}
