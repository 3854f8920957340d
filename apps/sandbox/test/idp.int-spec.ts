import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';
import { freePort } from '../../../test/support/free-port';
import { startSandboxProcess, type SandboxProcess } from '../src/sandbox-process';
import { CookieBrowser, formOf, labelFor, type Page } from '../../../test/support/cookie-browser';

// The sandbox's OpenID provider driven as the console will drive it: openid-client on the relying party's side, a
// cookie-keeping client standing in for the browser, jose checking the access token as the services do.
describe('sandbox identity provider (/idp)', () => {
  const CLIENT = { client_id: 'idp-test-console', client_secret: 'idp-test-console-secret' };
  const AUDIENCE = 'urn:invoice-sync:api';
  let running: SandboxProcess;
  let issuer: string;
  let config: oidc.Configuration;
  let callbackUrl: string;
  let signedOutUrl: string;

  const control = (path: string, body: unknown): Promise<Response> =>
    fetch(`${running.control.url}/__sandbox${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  /** An authorization request with PKCE, as the console sends it. */
  async function authorization(extra: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callbackUrl,
      scope: 'openid profile email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      ...extra,
    });
    return { url: url.href, verifier, state };
  }

  async function loginPage(browser: CookieBrowser, extra: Record<string, string> = {}) {
    const request = await authorization(extra);
    const page = await browser.open(request.url, { stopAt: callbackUrl });
    return { request, page };
  }

  function submit(browser: CookieBrowser, page: Page, username: string, password: string): Promise<Page> {
    const { action, hidden } = formOf(page);
    return browser.open(action, { form: { ...hidden, username, password }, stopAt: callbackUrl });
  }

  /** Signs in and exchanges the code: the token response. */
  async function signIn(username: string, password: string, browser = new CookieBrowser(), extra = {}) {
    const { request, page } = await loginPage(browser, extra);
    expect(labelFor(page, 'password')).toBeDefined();
    const landed = await submit(browser, page, username, password);
    expect(landed.url.startsWith(callbackUrl)).toBe(true);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(landed.url), {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
    });
    return { tokens, browser };
  }

  async function verifyAccessToken(token: string): Promise<JWTPayload> {
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    const { payload } = await jwtVerify(token, jwks, { issuer, audience: AUDIENCE });
    return payload;
  }

  beforeAll(async () => {
    running = await startSandboxProcess({ controlPort: 0, logLevel: 'silent' });
    issuer = running.control.idpIssuer;
    const relyingParty = `http://127.0.0.1:${await freePort()}`;
    callbackUrl = `${relyingParty}/auth/callback`;
    signedOutUrl = `${relyingParty}/signed-out`;
    const registered = await control('/idp/clients', {
      ...CLIENT,
      redirect_uris: [callbackUrl],
      post_logout_redirect_uris: [signedOutUrl],
    });
    expect(registered.status).toBe(201);
    config = await oidc.discovery(
      new URL(issuer),
      CLIENT.client_id,
      undefined,
      oidc.ClientSecretBasic(CLIENT.client_secret),
      { execute: [oidc.allowInsecureRequests] },
    );
  });
  afterAll(() => running?.close());

  it('publishes discovery under <control URL>/idp: code flow with S256 only, the API scope, logout', () => {
    expect(issuer).toBe(`${running.control.url}/idp`);
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(issuer);
    expect(metadata.jwks_uri?.startsWith(`${issuer}/`)).toBe(true);
    expect(metadata.authorization_endpoint?.startsWith(`${issuer}/`)).toBe(true);
    expect(metadata.end_session_endpoint?.startsWith(`${issuer}/`)).toBe(true);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.scopes_supported).toEqual(
      expect.arrayContaining(['openid', 'offline_access', 'invoice-sync']),
    );
    expect(metadata.ui_locales_supported).toEqual(['zh-CN', 'en']);
  });

  it('signs a demo person in and issues a JWT access token for the API with their roles and branches', async () => {
    const { tokens } = await signIn('clerk-sz', 'demo-clerk-sz-pass');
    const payload = await verifyAccessToken(tokens.access_token);
    expect(payload).toMatchObject({
      iss: issuer,
      aud: AUDIENCE,
      sub: 'clerk-sz',
      client_id: CLIENT.client_id,
      name: '李会计（深圳）',
      email: 'clerk-sz@demo.invoice-sync.example.cn',
      roles: ['branch-clerk'],
      branches: ['sz-futian-01', 'sz-baoan-02'],
    });
    // Real time, ten minutes: the services check exp against their own clock.
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(30);
    expect(tokens.claims()).toMatchObject({
      iss: issuer,
      sub: 'clerk-sz',
      name: '李会计（深圳）',
      email: 'clerk-sz@demo.invoice-sync.example.cn',
      roles: ['branch-clerk'],
      branches: ['sz-futian-01', 'sz-baoan-02'],
    });
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it('gives the same audience when the client names the resource, and refreshes into a JWT again', async () => {
    const { tokens } = await signIn('admin', 'demo-admin-pass', new CookieBrowser(), {
      resource: AUDIENCE,
      scope: 'openid profile email invoice-sync',
    });
    expect(await verifyAccessToken(tokens.access_token)).toMatchObject({
      sub: 'admin',
      roles: ['admin'],
      scope: 'invoice-sync',
    });
    // client_secret_post works as well as basic.
    const postConfig = await oidc.discovery(
      new URL(issuer),
      CLIENT.client_id,
      undefined,
      oidc.ClientSecretPost(CLIENT.client_secret),
      { execute: [oidc.allowInsecureRequests] },
    );
    const refreshed = await oidc.refreshTokenGrant(postConfig, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(await verifyAccessToken(refreshed.access_token)).toMatchObject({ sub: 'admin', aud: AUDIENCE });
  });

  it('refuses a request without PKCE and an unknown resource', async () => {
    const browser = new CookieBrowser();
    const noPkce = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callbackUrl,
      scope: 'openid',
      state: 's1',
    });
    const refused = new URL((await browser.open(noPkce.href, { stopAt: callbackUrl })).url);
    expect(refused.searchParams.get('error')).toBe('invalid_request');
    const { page } = await loginPage(browser, { resource: 'urn:somebody-else:api' });
    expect(new URL(page.url).searchParams.get('error')).toBe('invalid_target');
  });

  it('shows the password form in Chinese by default, in English for ui_locales=en or an English browser', async () => {
    const chinese = (await loginPage(new CookieBrowser())).page;
    expect(chinese.status).toBe(200);
    expect(chinese.body).toContain('<html lang="zh-CN">');
    expect([labelFor(chinese, 'username'), labelFor(chinese, 'password')]).toEqual(['用户名', '密码']);
    expect(chinese.body).toMatch(/<button type="submit">登录<\/button>/);

    const english = (await loginPage(new CookieBrowser(), { ui_locales: 'en-GB zh-CN' })).page;
    expect([labelFor(english, 'username'), labelFor(english, 'password')]).toEqual(['Username', 'Password']);
    expect(english.body).toMatch(/<button type="submit">Sign in<\/button>/);

    const browserEnglish = (await loginPage(new CookieBrowser('en-US,en;q=0.9,zh-CN;q=0.8'))).page;
    expect(labelFor(browserEnglish, 'username')).toBe('Username');
    const browserChinese = (await loginPage(new CookieBrowser('zh-CN,zh;q=0.9,en;q=0.8'))).page;
    expect(labelFor(browserChinese, 'username')).toBe('用户名');
    // The request's ui_locales outranks the browser.
    const asked = (await loginPage(new CookieBrowser('en-US'), { ui_locales: 'zh-CN' })).page;
    expect(labelFor(asked, 'username')).toBe('用户名');

    const csp = chinese.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(chinese.body).not.toContain('<script');
  });

  it('keeps a wrong password on the login page with an alert, escaping what was typed', async () => {
    const browser = new CookieBrowser();
    const { request, page } = await loginPage(browser, { ui_locales: 'en' });
    const wrong = await submit(browser, page, '<b>admin</b>', 'demo-admin-pass');
    expect(wrong.status).toBe(401);
    expect(wrong.url).toBe(formOf(page).action);
    expect(wrong.body).toMatch(/<p role="alert"[^>]*>Wrong username or password<\/p>/);
    expect(wrong.body).toContain('value="&lt;b&gt;admin&lt;/b&gt;"');
    expect(wrong.body).not.toContain('<b>admin</b>');
    const wrongPassword = await submit(browser, wrong, 'admin', 'not-the-password');
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body).toContain('role="alert"');
    // The same interaction still signs in with the right password.
    const landed = await submit(browser, wrongPassword, 'admin', 'demo-admin-pass');
    const callback = new URL(landed.url);
    expect(callback.origin + callback.pathname).toBe(callbackUrl);
    expect(callback.searchParams.get('state')).toBe(request.state);
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('adds a person over the control API (201), replaces them by username, and refuses bad bodies (400)', async () => {
    const person = {
      username: 'wang.li',
      password: 'first-password',
      name: '王丽',
      email: 'wang.li@example.cn',
      roles: ['branch-clerk'],
      branches: ['sh-nanshan-01'],
    };
    const added = await control('/idp/users', person);
    expect(added.status).toBe(201);
    expect(await added.json()).toEqual({
      username: 'wang.li',
      name: '王丽',
      email: 'wang.li@example.cn',
      roles: ['branch-clerk'],
      branches: ['sh-nanshan-01'],
    });
    const first = await signIn('wang.li', 'first-password');
    expect(await verifyAccessToken(first.tokens.access_token)).toMatchObject({
      sub: 'wang.li',
      roles: ['branch-clerk'],
      branches: ['sh-nanshan-01'],
    });

    const replaced = await control('/idp/users', {
      ...person,
      password: 'second-password',
      roles: ['auditor'],
      branches: [],
    });
    expect(replaced.status).toBe(201);
    const browser = new CookieBrowser();
    const { page } = await loginPage(browser);
    const old = await submit(browser, page, 'wang.li', 'first-password');
    expect(old.status).toBe(401);
    expect(old.body).toContain('role="alert"');
    // A refresh reads the person again.
    const refreshed = await oidc.refreshTokenGrant(config, first.tokens.refresh_token!);
    expect(await verifyAccessToken(refreshed.access_token)).toMatchObject({
      sub: 'wang.li',
      roles: ['auditor'],
    });
    const second = await signIn('wang.li', 'second-password');
    expect(await verifyAccessToken(second.tokens.access_token)).toMatchObject({
      roles: ['auditor'],
      branches: [],
    });

    const bad = await control('/idp/users', { username: 'x', password: '', roles: 'admin' });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; details: Array<{ path: string[] }> } };
    expect(body.error.code).toBe('INVALID_REQUEST');
    expect(body.error.details.map((d) => d.path[0])).toEqual(
      expect.arrayContaining(['password', 'name', 'email', 'roles']),
    );
    expect((await control('/idp/clients', { client_id: 'c', client_secret: 'short' })).status).toBe(400);
  });

  it('signs out from the end-session endpoint without a click, and then asks for the password again', async () => {
    const { tokens, browser } = await signIn('manager', 'demo-manager-pass');
    // Still signed in at the IdP: another authorization goes straight back to the client.
    const again = await browser.open((await authorization()).url, { stopAt: callbackUrl });
    expect(again.url.startsWith(callbackUrl)).toBe(true);

    const endSession = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: signedOutUrl,
      state: 'bye',
    });
    const logout = await browser.open(endSession.href, { stopAt: signedOutUrl });
    expect(logout.status).toBe(200);
    const form = formOf(logout, 'op.logoutForm');
    expect(form.hidden).toMatchObject({ logout: 'yes', xsrf: expect.any(String) });
    const nonce = /<script nonce="([^"]+)">[^<]*op\.logoutForm[^<]*submit\(\)/.exec(logout.body)?.[1];
    expect(nonce).toBeDefined();
    expect(logout.headers.get('content-security-policy')).toContain(`script-src 'nonce-${nonce}'`);

    // What the page's script does: post the form.
    const out = await browser.open(form.action, { form: form.hidden, stopAt: signedOutUrl });
    expect(out.url).toBe(`${signedOutUrl}?state=bye`);

    const { page } = await loginPage(browser);
    expect(page.status).toBe(200);
    expect(labelFor(page, 'password')).toBe('密码');
    // The refresh token ended with the session (no offline_access was asked for).
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });
});
