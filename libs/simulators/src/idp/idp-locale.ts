/** The IdP's pages speak Simplified Chinese unless English is asked for. */
export type IdpLanguage = 'zh' | 'en';

function known(tag: string): IdpLanguage | undefined {
  const lower = tag.trim().toLowerCase();
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  if (lower === 'zh' || lower.startsWith('zh-')) return 'zh';
  return undefined;
}

/** The first of the `ui_locales` tags (space-separated, in order of preference) that the pages speak. */
export function languageOfUiLocales(uiLocales: unknown): IdpLanguage | undefined {
  if (typeof uiLocales !== 'string') return undefined;
  for (const tag of uiLocales.split(/\s+/)) {
    const language = known(tag);
    if (language) return language;
  }
  return undefined;
}

/** The language of Accept-Language's highest-weighted tag that the pages speak (ties: the first listed). */
export function languageOfAcceptLanguage(header: string | undefined): IdpLanguage | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of ranked) {
    const language = known(tag);
    if (language) return language;
  }
  return undefined;
}

/**
 * The page's language: the authorization (or logout) request's `ui_locales` first, then the browser's
 * Accept-Language, then Chinese.
 */
export function pickLanguage(uiLocales: unknown, acceptLanguage: string | undefined): IdpLanguage {
  return languageOfUiLocales(uiLocales) ?? languageOfAcceptLanguage(acceptLanguage) ?? 'zh';
}

export interface IdpTexts {
  htmlLang: string;
  signInTitle: string;
  heading: string;
  username: string;
  password: string;
  submit: string;
  wrongCredentials: string;
  sandboxNote: string;
  signingOut: string;
  signOut: string;
  signedOut: string;
  errorTitle: string;
  expired: string;
  failed: string;
}

export const IDP_TEXTS: Record<IdpLanguage, IdpTexts> = {
  zh: {
    htmlLang: 'zh-CN',
    signInTitle: '登录',
    heading: '登录发票同步',
    username: '用户名',
    password: '密码',
    submit: '登录',
    wrongCredentials: '用户名或密码错误',
    sandboxNote: '沙箱身份提供方，仅用于开发、测试和演示',
    signingOut: '正在退出登录…',
    signOut: '退出登录',
    signedOut: '您已退出登录。',
    errorTitle: '出错了',
    expired: '登录已过期，请返回应用重新登录。',
    failed: '请求无法完成，请返回应用重试。',
  },
  en: {
    htmlLang: 'en',
    signInTitle: 'Sign in',
    heading: 'Sign in to Invoice Sync',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    wrongCredentials: 'Wrong username or password',
    sandboxNote: 'Sandbox identity provider, for development, tests and demos only',
    signingOut: 'Signing out…',
    signOut: 'Sign out',
    signedOut: 'You are signed out.',
    errorTitle: 'Something went wrong',
    expired: 'The sign-in has expired. Go back to the application and sign in again.',
    failed: 'The request could not be completed. Go back to the application and try again.',
  },
};
