// People of the scenario as the services know them: added to the sandbox's IdP, signed in there the way the console
// signs them in (authorization code with PKCE, a cookie-keeping client for the browser), their access token used as
// the bearer of reconcile's API.
import { randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import { CookieBrowser, formOf } from '../support/cookie-browser';

export interface ScenarioPerson {
  username: string;
  name: string;
  roles: string[];
  branches?: string[];
}

/** Never opened: the client stops there and takes the code from the address. */
const CALLBACK = 'http://127.0.0.1:9/month-scenario/callback';

export class SandboxPeople {
  private config?: oidc.Configuration;
  private readonly client = {
    client_id: 'month-scenario',
    client_secret: randomBytes(18).toString('base64url'),
  };
  private readonly passwords = new Map<string, string>();

  // Tokens carry real time, whatever date the system plays: the IdP and the services' checks read the real clock.
  constructor(private readonly controlUrl: string) {}

  async add(person: ScenarioPerson): Promise<void> {
    const password = randomBytes(12).toString('base64url');
    await this.control('/idp/users', {
      ...person,
      branches: person.branches ?? [],
      password,
      email: `${person.username}@finance.example.cn`,
    });
    this.passwords.set(person.username, password);
  }

  /** Signs the person in and answers their access token. */
  async token(username: string): Promise<string> {
    const config = await this.configuration();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid profile email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const browser = new CookieBrowser();
    const login = await browser.open(url.href, { stopAt: CALLBACK });
    const { action, hidden } = formOf(login);
    const landed = await browser.open(action, {
      form: { ...hidden, username, password: this.passwords.get(username) ?? '' },
      stopAt: CALLBACK,
    });
    if (!landed.url.startsWith(CALLBACK)) throw new Error(`${username} could not sign in at the sandbox IdP`);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(landed.url), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    return tokens.access_token;
  }

  private async configuration(): Promise<oidc.Configuration> {
    if (this.config) return this.config;
    await this.control('/idp/clients', { ...this.client, redirect_uris: [CALLBACK] });
    const config = await oidc.discovery(
      new URL(`${this.controlUrl}/idp`),
      this.client.client_id,
      undefined,
      oidc.ClientSecretBasic(this.client.client_secret),
      { execute: [oidc.allowInsecureRequests] },
    );
    return (this.config = config);
  }

  private async control(path: string, body: unknown): Promise<void> {
    const response = await fetch(`${this.controlUrl}/__sandbox${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 201)
      throw new Error(`sandbox POST ${path}: ${response.status} ${await response.text()}`);
  }
}
