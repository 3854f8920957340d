import type { Lang } from './i18n';

/**
 * A page's own words in both languages (kept beside the page; only its navigation link is in the shared tables):
 * `pageTexts(en, zh)(lang)` is the page's translate, with `{name}` placeholders filled from `vars`.
 */
export function pageTexts<K extends string>(en: Record<K, string>, zh: Record<K, string>) {
  return (lang: Lang) => {
    const words = lang === 'en' ? en : zh;
    // a key the table lacks (a code from a newer service) comes back as itself, as the shared `t` does
    return (key: K, vars: Record<string, string> = {}): string =>
      (words[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? '');
  };
}
