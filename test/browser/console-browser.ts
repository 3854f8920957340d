// What the console's browser specs share: the whole system with the console (its web bundle built when missing), a
// Debian Chromium, people signing in at the sandbox's IdP, calls made as a signed-in page makes them, a screenshot of
// every page a test opened (under .cache/test-logs/<scope>) and, at the end, the schemas dropped.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { dropSchema, REPO_ROOT, testDatabaseUrl, testKafkaBrokers, uniqueName } from '@lib/testing';
import { launchChromium } from '../support/browser';
import { SERVICES, SystemHarness } from '../system/system-harness';

export interface Person {
  username: string;
  password: string;
}

export class ConsoleBrowser {
  readonly scope: string;
  system!: SystemHarness;
  private browser!: Browser;
  private readonly pages: Page[] = [];

  constructor(name: string) {
    this.scope = uniqueName(name);
  }

  async start(): Promise<void> {
    if (!existsSync(join(REPO_ROOT, 'dist/console-web/index.html'))) {
      execFileSync(process.execPath, [join(REPO_ROOT, 'apps/console/web/build.mjs')], { stdio: 'pipe' });
    }
    [this.system, this.browser] = await Promise.all([
      SystemHarness.start({
        runtime: 'ts',
        databaseUrl: testDatabaseUrl(),
        kafkaBrokers: testKafkaBrokers().join(','),
        scope: this.scope,
        logDir: join(REPO_ROOT, '.cache/test-logs', this.scope),
        console: true,
        logLevel: 'warn',
      }),
      launchChromium(),
    ]);
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await this.system?.stop();
    for (const service of [...SERVICES, 'console'] as const) {
      await dropSchema(service === 'console' ? `${this.scope}_console` : this.system.schemaOf(service)).catch(
        () => undefined,
      );
    }
  }

  /** After each test: a screenshot of every page it opened, then their contexts closed. */
  async closePages(): Promise<void> {
    const name = (expect.getState().currentTestName ?? 'test').replace(/\W+/g, '-');
    for (const [i, page] of this.pages.entries()) {
      if (page.isClosed()) continue;
      await page
        .screenshot({ path: join(REPO_ROOT, '.cache/test-logs', this.scope, `${name}-${i}.png`) })
        .catch(() => undefined);
      await page
        .context()
        .close()
        .catch(() => undefined);
    }
    this.pages.length = 0;
  }

  /** A person signed in at the IdP, in a browser context of their own, on `path` of the console. */
  async signIn(person: Person, path: string): Promise<Page> {
    const context = await this.browser.newContext({ locale: 'en-US', viewport: { width: 1600, height: 900 } });
    const page = await context.newPage();
    this.pages.push(page);
    await page.goto(`${this.system.consoleUrl}${path}`);
    await page.getByLabel('Username').fill(person.username);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.origin === this.system.consoleUrl && !url.pathname.startsWith('/auth/'));
    return page;
  }
}

/** A call through the console as the signed-in person's page makes it (with the CSRF token). */
export function callAs(page: Page, method: string, path: string, body?: unknown) {
  return page.evaluate(
    async ([m, p, b]) => {
      const me = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const response = await fetch(p, {
        method: m,
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      return { status: response.status, body: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    },
    [method, path, body] as const,
  );
}

/** An antd modal has finished opening (its zoom animation moves the fields while it runs). */
export async function dialogOpened(page: Page, name: string) {
  const dialog = page.getByRole('dialog', { name });
  await dialog.waitFor();
  await page.locator('.ant-modal.ant-zoom-enter, .ant-modal.ant-zoom-appear').first().waitFor({ state: 'detached' });
  return dialog;
}

/** Picks an option of the antd select labelled `label` inside `scope`. */
export async function pick(page: Page, scope: ReturnType<Page['getByRole']>, label: string, option: string) {
  await scope.getByLabel(label, { exact: true }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: option }).first().click();
}
