import { contentSecurityPolicy, escapeHtml, loginPage, logoutPage, messagePage } from './idp-pages';

describe('IdP pages', () => {
  it('escapes text and attribute values', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\``)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;',
    );
    expect(escapeHtml(undefined)).toBe('');
  });

  it('labels the Chinese login form and shows no alert before a failed attempt', () => {
    const page = loginPage({ language: 'zh', action: '/idp/interaction/u1/login', nonce: 'n0nce' });
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain('<label for="username">用户名</label>');
    expect(page).toContain('<input id="username" name="username"');
    expect(page).toContain('<label for="password">密码</label>');
    expect(page).toContain('<input id="password" name="password" type="password"');
    expect(page).toContain('<button type="submit">登录</button>');
    expect(page).toContain('action="/idp/interaction/u1/login"');
    expect(page).toContain('<style nonce="n0nce">');
    expect(page).not.toContain('role="alert"');
    expect(page).not.toContain('<script');
  });

  it('labels the English form and, after a failure, alerts and keeps the escaped username', () => {
    const page = loginPage({
      language: 'en',
      action: '/idp/interaction/a"b/login',
      nonce: 'n',
      username: '"><script>x()</script>',
      failed: true,
    });
    expect(page).toContain('<label for="username">Username</label>');
    expect(page).toContain('<label for="password">Password</label>');
    expect(page).toContain('<button type="submit">Sign in</button>');
    expect(page).toContain('<p role="alert" id="login-error">Wrong username or password</p>');
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;x()&lt;/script&gt;"');
    expect(page).toContain('action="/idp/interaction/a&quot;b/login"');
    expect(page).not.toContain('<script>');
  });

  it('auto-submits the logout form with logout=yes under a nonce the policy allows', () => {
    const form =
      '<form id="op.logoutForm" method="post" action="http://h/idp/session/end/confirm"><input type="hidden" name="xsrf" value="abc"/></form>';
    const page = logoutPage('en', form, 'N1');
    expect(page).toContain(
      '<input type="hidden" name="xsrf" value="abc"/><input type="hidden" name="logout" value="yes"/></form>',
    );
    expect(page).toMatch(
      /<script nonce="N1">document\.getElementById\('op\.logoutForm'\)\.submit\(\);<\/script>/,
    );
    expect(contentSecurityPolicy('N1', true)).toContain("script-src 'nonce-N1'");
    expect(contentSecurityPolicy('N1')).toContain("script-src 'none'");
    expect(contentSecurityPolicy('N1')).toContain("style-src 'nonce-N1'");
  });

  it('escapes a message page', () => {
    expect(messagePage('zh', '出错了', '<img src=x>', 'n')).toContain('<p>&lt;img src=x&gt;</p>');
  });
});
