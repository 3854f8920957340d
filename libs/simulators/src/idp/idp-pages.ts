import { randomBytes } from 'node:crypto';
import { IDP_TEXTS, type IdpLanguage, type IdpTexts } from './idp-locale';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for an HTML element or a quoted attribute value. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => ENTITIES[c]);
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * Nothing loads but the page's own nonce-bearing style (and script, on the logout page). No `form-action`: browsers
 * apply it to the redirects after a form post too, and the login and logout posts end at the client's origin.
 */
export function contentSecurityPolicy(nonce: string, withScript = false): string {
  return [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    withScript ? `script-src 'nonce-${nonce}'` : "script-src 'none'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const STYLE = `
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f5f7fa;margin:0;color:#1f2329}
main{max-width:360px;margin:10vh auto;background:#fff;border-radius:8px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:32px}
h1{font-size:20px;margin:0 0 24px}
label{display:block;font-size:14px;margin:16px 0 6px}
input{box-sizing:border-box;width:100%;padding:8px 10px;font-size:15px;border:1px solid #d0d3d9;border-radius:4px}
button{margin-top:24px;width:100%;padding:10px;font-size:15px;border:0;border-radius:4px;background:#1677ff;color:#fff;cursor:pointer}
[role=alert]{margin:0 0 8px;padding:8px 10px;border-radius:4px;background:#fff1f0;color:#cf1322;font-size:14px}
.note{margin-top:24px;font-size:12px;color:#8a8f99}`;

function layout(texts: IdpTexts, title: string, nonce: string, body: string, script?: string): string {
  return `<!DOCTYPE html>
<html lang="${escapeHtml(texts.htmlLang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style nonce="${escapeHtml(nonce)}">${STYLE}</style>
</head>
<body>
<main>
${body}
<p class="note">${escapeHtml(texts.sandboxNote)}</p>
</main>${script === undefined ? '' : `\n<script nonce="${escapeHtml(nonce)}">${script}</script>`}
</body>
</html>`;
}

export interface LoginPageInput {
  language: IdpLanguage;
  /** Where the form posts. */
  action: string;
  nonce: string;
  /** Typed before (kept after a wrong password). */
  username?: string;
  /** Show "wrong username or password". */
  failed?: boolean;
}

/** The password form: labelled fields (用户名 / 密码, 登录; Username / Password, Sign in in English). */
export function loginPage(input: LoginPageInput): string {
  const t = IDP_TEXTS[input.language];
  const alert = input.failed
    ? `<p role="alert" id="login-error">${escapeHtml(t.wrongCredentials)}</p>\n`
    : '';
  const body = `<h1>${escapeHtml(t.heading)}</h1>
${alert}<form method="post" action="${escapeHtml(input.action)}" autocomplete="on">
<label for="username">${escapeHtml(t.username)}</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(input.username ?? '')}"${input.username ? '' : ' autofocus'}>
<label for="password">${escapeHtml(t.password)}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${input.username ? ' autofocus' : ''}>
<button type="submit">${escapeHtml(t.submit)}</button>
</form>`;
  return layout(t, t.signInTitle, input.nonce, body);
}

/**
 * RP-initiated logout without a confirmation click: oidc-provider's form (it carries the xsrf token) plus
 * `logout=yes` (end the whole IdP session, not only this client's part of it), submitted at once by a nonce'd script.
 */
export function logoutPage(language: IdpLanguage, providerForm: string, nonce: string): string {
  const t = IDP_TEXTS[language];
  const form = providerForm.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>');
  const body = `<h1>${escapeHtml(t.signingOut)}</h1>
${form}
<button type="submit" form="op.logoutForm">${escapeHtml(t.signOut)}</button>`;
  return layout(t, t.signOut, nonce, body, "document.getElementById('op.logoutForm').submit();");
}

/** A short page with a heading and one sentence (signed out, an error). */
export function messagePage(language: IdpLanguage, title: string, message: string, nonce: string): string {
  const t = IDP_TEXTS[language];
  return layout(t, title, nonce, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}
