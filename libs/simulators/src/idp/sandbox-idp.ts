import { randomBytes } from 'node:crypto';
import { createServer, type RequestListener } from 'node:http';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { ManagedServer } from '../core/managed-server';
import { IdpStore } from './idp-adapter';
import { DEV_IDP_CLIENT, IdpClients, type IdpClientSpec, type IdpClientView } from './idp-clients';
import { generateSigningJwks, type PrivateJwks } from './idp-keys';
import { DEMO_IDP_PEOPLE, IdpPeople, type IdpPerson, type IdpPersonSpec } from './idp-people';
import { createIdpApp } from './idp.app';
import { createIdpProvider } from './idp-provider';

/** The API audience of the access tokens unless SANDBOX_IDP_API_AUDIENCE says otherwise. */
export const DEFAULT_IDP_AUDIENCE = 'urn:invoice-sync:api';

export interface IdpOptions {
  /** The people; unset: the demo people (DEMO_IDP_PEOPLE). */
  people?: IdpPersonSpec[];
  /** The console's client; unset: DEV_IDP_CLIENT. More can be registered at run time. */
  client?: IdpClientSpec;
  /** `aud` of the access tokens. */
  audience?: string;
  /** Private signing keys; unset: an RS256 key generated at start. */
  jwks?: PrivateJwks;
}

export interface MountedIdp {
  issuer: string;
  /** Serve it under the issuer's path (`app.use('/idp', app)`), before any body parser. */
  app: Express;
}

/**
 * The sandbox's identity provider: its people and clients live here (the control API changes them); the OpenID
 * provider itself is built by `mount` once the issuer URL is known (the port may be picked at run time).
 */
export class SandboxIdp {
  readonly people = new IdpPeople();
  readonly clients = new IdpClients();
  readonly store = new IdpStore(this.clients);
  readonly audience: string;
  private seeded: Promise<void> | null = null;
  private mounted: { issuer: string; ready: Promise<MountedIdp> } | null = null;
  private server: ManagedServer | null = null;

  constructor(
    private readonly options: IdpOptions,
    private readonly logger: Logger,
  ) {
    this.audience = options.audience ?? DEFAULT_IDP_AUDIENCE;
    this.clients.upsert(
      options.client ?? {
        client_id: DEV_IDP_CLIENT.clientId,
        client_secret: DEV_IDP_CLIENT.clientSecret,
        redirect_uris: [...DEV_IDP_CLIENT.redirectUris],
        post_logout_redirect_uris: [...DEV_IDP_CLIENT.postLogoutRedirectUris],
      },
    );
  }

  /** Hashes the configured people once (scrypt is slow on purpose, so not before the IdP is used). */
  private seed(): Promise<void> {
    this.seeded ??= (async () => {
      for (const spec of this.options.people ?? DEMO_IDP_PEOPLE) await this.people.upsert(spec);
    })();
    return this.seeded;
  }

  /** Adds a person or replaces the one with the same username. */
  async upsertPerson(spec: IdpPersonSpec): Promise<IdpPerson> {
    await this.seed();
    return this.people.upsert(spec);
  }

  async listPeople(): Promise<IdpPerson[]> {
    await this.seed();
    return this.people.list();
  }

  /** Registers a client or replaces the one with the same client_id. */
  registerClient(spec: IdpClientSpec): IdpClientView {
    return this.clients.upsert(spec);
  }

  get issuer(): string | null {
    return this.mounted?.issuer ?? null;
  }

  /** Builds the provider for this issuer (`<public URL>/idp`); once per sandbox. */
  mount(issuer: string): Promise<MountedIdp> {
    if (this.mounted) {
      if (this.mounted.issuer !== issuer) {
        return Promise.reject(new Error(`the IdP is already mounted as ${this.mounted.issuer}`));
      }
      return this.mounted.ready;
    }
    const ready = this.build(issuer);
    this.mounted = { issuer, ready };
    void ready.catch(() => (this.mounted = null));
    return ready;
  }

  /**
   * In-process use (no sandbox process, so no control port): serves the IdP on its own port at
   * `http://<host>:<port>/idp` and answers the issuer. `startSandbox`'s `close()` stops it.
   */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    if (this.server) throw new Error('the IdP is already listening');
    let handle: RequestListener = (_req, res) => void res.writeHead(503).end();
    const http = createServer((req, res) => handle(req, res));
    const server = new ManagedServer(http, host, () => http.closeAllConnections());
    this.server = server;
    const actual = await server.listen(port);
    try {
      const { issuer, app } = await this.mount(
        `http://${host.includes(':') ? `[${host}]` : host}:${actual}/idp`,
      );
      const root = express();
      root.disable('x-powered-by');
      root.use('/idp', app);
      root.use((_req, res) => void res.status(404).end());
      handle = root;
      return issuer;
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Stops what `listen` started. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.close();
  }

  private async build(issuer: string): Promise<MountedIdp> {
    await this.seed();
    const jwks = this.options.jwks ?? (await generateSigningJwks());
    const provider = createIdpProvider({
      issuer,
      people: this.people,
      store: this.store,
      jwks,
      cookieKeys: [randomBytes(32).toString('base64url')],
      audience: this.audience,
      logger: this.logger,
    });
    const issuerPath = new URL(issuer).pathname.replace(/\/$/, '');
    const app = createIdpApp(provider, this.people, issuerPath, this.logger);
    this.logger.info({ issuer, audience: this.audience, people: this.people.list().length }, 'idp ready');
    return { issuer, app };
  }
}
