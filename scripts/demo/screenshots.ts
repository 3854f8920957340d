// Screenshots of every console page for docs/console.md, taken from a running demo (`npm run demo`, console on 3004):
//   node -r ./test/support/ts-register.js scripts/demo/screenshots.ts [console URL]
// Signs in as the demo's finance manager through the IdP's form in Debian's Chromium and saves docs/console/*.png.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_IDP_PEOPLE } from '@lib/simulators';
import { launchChromium } from '../../test/support/browser';

const ROOT = resolve(__dirname, '../..');
const OUT = join(ROOT, 'docs/console');
const PAGES: [string, string][] = [
  ['/', 'overview'],
  ['/findings', 'findings'],
  ['/findings?lang=en', 'findings-en'],
  ['/invoices', 'invoices'],
  ['/devices', 'devices'],
  ['/deliveries', 'deliveries'],
  ['/reconciliations', 'reconciliations'],
  ['/notifications', 'notifications'],
  ['/audit', 'audit'],
];

async function main(): Promise<void> {
  const base = process.argv[2] ?? 'http://127.0.0.1:3004';
  const manager = DEMO_IDP_PEOPLE.find((p) => p.roles.includes('finance-manager'))!;
  mkdirSync(OUT, { recursive: true });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/?lang=zh`);
    await page.screenshot({ path: join(OUT, 'login.png') });
    await page.getByLabel('用户名').fill(manager.username);
    await page.getByLabel('密码').fill(manager.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL((url) => url.href.startsWith(base) && !url.pathname.startsWith('/auth/'));
    for (const [path, name] of PAGES) {
      await page.goto(
        `${base}${path}${path.includes('lang=') ? '' : `${path.includes('?') ? '&' : '?'}lang=zh`}`,
      );
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(800); // charts animate in
      await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
      console.log(`docs/console/${name}.png`);
    }
    await page.goto(`${base}/findings?lang=zh`);
    await page.waitForLoadState('networkidle');
    const first = page.locator('tbody tr').first();
    await first.click();
    await page.waitForURL(/\/findings\/[0-9a-f-]{36}/);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(OUT, 'finding-detail.png'), fullPage: true });
    console.log('docs/console/finding-detail.png');
    await deviceAsAdmin(browser, base);
  } finally {
    await browser.close();
  }
}

/** The hosted device whose remote clear-card failed, as the admin sees it: lifecycle, remote operations, reset. */
async function deviceAsAdmin(
  browser: Awaited<ReturnType<typeof launchChromium>>,
  base: string,
): Promise<void> {
  const admin = DEMO_IDP_PEOPLE.find((p) => p.roles.includes('admin'))!;
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/devices?lang=zh`);
  await page.getByLabel('用户名').fill(admin.username);
  await page.getByLabel('密码').fill(admin.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => url.href.startsWith(base) && !url.pathname.startsWith('/auth/'));
  // the registry through the console's own proxy, under the admin's session
  const listed = await page.request.get(`${base}/api/gateway/admin/devices?branchId=sz-futian-01&limit=200`);
  const { items } = (await listed.json()) as { items: { deviceId: string; name: string }[] };
  const hosted = items.find((d) => d.name.includes('百望云托管盘 2'));
  if (!hosted) throw new Error(`no hosted device among ${items.map((d) => d.name).join(', ')}`);
  await page.goto(`${base}/devices/${encodeURIComponent(hosted.deviceId)}?lang=zh`);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(OUT, 'device-detail.png'), fullPage: true });
  console.log('docs/console/device-detail.png');
  await context.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
