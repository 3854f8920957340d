import { languageOfAcceptLanguage, languageOfUiLocales, pickLanguage } from './idp-locale';

describe('IdP page language', () => {
  it('takes the first ui_locales tag it speaks', () => {
    expect(languageOfUiLocales('en')).toBe('en');
    expect(languageOfUiLocales('en-GB zh-CN')).toBe('en');
    expect(languageOfUiLocales('fr-FR zh-Hans-CN en')).toBe('zh');
    expect(languageOfUiLocales('ZH-cn')).toBe('zh');
    expect(languageOfUiLocales('english')).toBeUndefined();
    expect(languageOfUiLocales('fr de')).toBeUndefined();
    expect(languageOfUiLocales(undefined)).toBeUndefined();
  });

  it('ranks Accept-Language by weight, ties by order, ignoring q=0 and languages it does not speak', () => {
    expect(languageOfAcceptLanguage('en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(languageOfAcceptLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(languageOfAcceptLanguage('zh;q=0.5, en;q=0.7')).toBe('en');
    expect(languageOfAcceptLanguage('fr, de;q=0.9, en;q=0.2, zh;q=0.1')).toBe('en');
    expect(languageOfAcceptLanguage('en;q=0, zh;q=0.1')).toBe('zh');
    expect(languageOfAcceptLanguage('*')).toBeUndefined();
    expect(languageOfAcceptLanguage('')).toBeUndefined();
  });

  it('prefers the request over the browser and falls back to Chinese', () => {
    expect(pickLanguage('zh-CN', 'en-US')).toBe('zh');
    expect(pickLanguage('en', 'zh-CN')).toBe('en');
    expect(pickLanguage('fr', 'en-US,zh;q=0.5')).toBe('en');
    expect(pickLanguage(undefined, 'en')).toBe('en');
    expect(pickLanguage(undefined, undefined)).toBe('zh');
    expect(pickLanguage('fr', 'de')).toBe('zh');
  });
});
