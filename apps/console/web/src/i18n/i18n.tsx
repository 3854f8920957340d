import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { setClientLang } from '../api/client';
import { en, type MessageKey } from './en';
import { zh } from './zh';

export type Lang = 'zh' | 'en';
const STORAGE_KEY = 'console.lang';

/** `?lang=` wins (and is remembered), then the remembered choice, then Chinese. */
export function initialLang(): Lang {
  const fromUrl = new URLSearchParams(window.location.search).get('lang');
  if (fromUrl === 'en' || fromUrl === 'zh') {
    remember(fromUrl);
    return fromUrl;
  }
  try {
    return window.localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

function remember(lang: Lang): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18n {
  lang: Lang;
  t: Translate;
  setLang: (lang: Lang) => void;
}

const I18nContext = createContext<I18n | null>(null);

function applyDocumentLang(lang: Lang): void {
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  setClientLang(lang);
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => {
    const l = initialLang();
    applyDocumentLang(l);
    return l;
  });
  const setLang = useCallback((next: Lang) => {
    remember(next);
    applyDocumentLang(next);
    setLangState(next);
    // a `?lang=` left in the address would win again on reload: keep it in step with the choice
    const url = new URL(window.location.href);
    if (url.searchParams.has('lang')) {
      url.searchParams.set('lang', next);
      window.history.replaceState(window.history.state, '', url);
    }
  }, []);
  const t = useCallback<Translate>(
    (key, vars) => {
      let text = (lang === 'en' ? en : zh)[key] ?? key;
      for (const [name, value] of Object.entries(vars ?? {})) text = text.replace(`{${name}}`, String(value));
      return text;
    },
    [lang],
  );
  const value = useMemo(() => ({ lang, t, setLang }), [lang, t, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
