import { safeReturnTo } from './return-to';

describe('returnTo after sign-in', () => {
  it.each([
    ['/findings', '/findings'],
    ['/findings?type=MISSING_UPLOAD&lang=en', '/findings?type=MISSING_UPLOAD&lang=en'],
    ['/findings/3f0c?x=1#history', '/findings/3f0c?x=1#history'],
    ['/', '/'],
  ])('keeps a same-origin path %s', (raw, expected) => {
    expect(safeReturnTo(raw)).toBe(expected);
  });

  it.each([
    ['https://evil.example/findings'],
    ['//evil.example/findings'],
    ['/\\evil.example'],
    ['\\\\evil.example'],
    ['/%0d%0aSet-Cookie:x'.replace('%0d%0a', '\r\n')],
    ['javascript:alert(1)'],
    ['findings'],
    [''],
    [undefined],
    [['/a', '/b']],
    ['/auth/login?returnTo=/x'],
    ['/' + 'a'.repeat(3000)],
  ])('sends %p to /', (raw) => {
    expect(safeReturnTo(raw)).toBe('/');
  });
});
