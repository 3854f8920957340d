import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { errors, type Provider } from 'oidc-provider';
import type { Logger } from 'pino';
import { IDP_TEXTS, pickLanguage } from './idp-locale';
import { contentSecurityPolicy, loginPage, messagePage, newNonce } from './idp-pages';
import type { IdpPeople } from './idp-people';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

function sendHtml(res: Response, status: number, body: string, nonce: string): void {
  res
    .status(status)
    .set({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': contentSecurityPolicy(nonce),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    })
    .send(body);
}

function languageFor(req: Request, interaction?: Interaction): ReturnType<typeof pickLanguage> {
  return pickLanguage(interaction?.params.ui_locales, req.get('accept-language'));
}

/**
 * The IdP's HTTP side, to be mounted under the issuer's path (`/idp`): our own interaction pages (a password form,
 * no consent screen: the console is first-party), then oidc-provider (a Koa app) for every protocol endpoint. Only
 * the login form's body is parsed here; oidc-provider reads its own.
 */
export function createIdpApp(
  provider: Provider,
  people: IdpPeople,
  issuerPath: string,
  logger: Logger,
): Express {
  const app = express();
  app.disable('x-powered-by');
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 10 });
  const action = (uid: string): string => `${issuerPath}/interaction/${encodeURIComponent(uid)}/login`;

  const renderLogin = (
    req: Request,
    res: Response,
    interaction: Interaction,
    failed?: { username: string },
  ): void => {
    const nonce = newNonce();
    const page = loginPage({
      language: languageFor(req, interaction),
      action: action(interaction.uid),
      nonce,
      username: failed?.username,
      failed: failed !== undefined,
    });
    sendHtml(res, failed ? 401 : 200, page, nonce);
  };

  /** First-party client: grant what was asked (scopes, claims, the API resource) without asking the person. */
  const autoConsent = async (req: Request, res: Response, interaction: Interaction): Promise<void> => {
    const { prompt, params, session } = interaction;
    if (!session?.accountId) throw new errors.SessionNotFound('no signed-in person to grant for');
    const details = prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
    const grant =
      existing ?? new provider.Grant({ accountId: session.accountId, clientId: String(params.client_id) });
    if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
    if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
      grant.addResourceScope(resource, scopes.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { consent: existing ? {} : { grantId } },
      { mergeWithLastSubmission: true },
    );
  };

  app.get('/interaction/:uid', async (req, res, next) => {
    try {
      const interaction = await provider.interactionDetails(req, res);
      if (interaction.prompt.name === 'login') return renderLogin(req, res, interaction);
      if (interaction.prompt.name === 'consent') return await autoConsent(req, res, interaction);
      throw new Error(`unexpected prompt ${interaction.prompt.name}`);
    } catch (error) {
      next(error);
    }
  });

  app.post('/interaction/:uid/login', form, async (req, res, next) => {
    try {
      const interaction = await provider.interactionDetails(req, res);
      if (interaction.prompt.name !== 'login') {
        // Already signed in (a second tab, a resubmitted form): carry on with the interaction.
        return void res.redirect(303, `${issuerPath}/interaction/${encodeURIComponent(interaction.uid)}`);
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      const username = typeof body.username === 'string' ? body.username.trim() : '';
      const password = typeof body.password === 'string' ? body.password : '';
      const person = username && password ? await people.authenticate(username, password) : null;
      if (!person) {
        logger.info({ username: username.slice(0, 64) }, 'idp sign-in refused');
        return renderLogin(req, res, interaction, { username });
      }
      logger.debug({ username: person.username }, 'idp sign-in');
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: person.username } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      next(error);
    }
  });

  const callback = provider.callback();
  app.use((req, res) => void callback(req, res));

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const language = pickLanguage(undefined, req.get('accept-language'));
    const t = IDP_TEXTS[language];
    const nonce = newNonce();
    if (error instanceof errors.SessionNotFound) {
      return sendHtml(res, 400, messagePage(language, t.errorTitle, t.expired, nonce), nonce);
    }
    logger.error({ err: error }, 'idp interaction failed');
    if (res.headersSent) return void res.end();
    sendHtml(res, 500, messagePage(language, t.errorTitle, t.failed, nonce), nonce);
  });
  return app;
}
