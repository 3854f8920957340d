// What the console's browser specs share: the whole system with the console (its web bundle built when missing), a
// Debian Chromium, people signing in at the sandbox's IdP, calls made as a signed-in page makes them, a screenshot of
// every page a test opened (under .cache/test-logs/<scope>), failures that say what the page showed and what the
// system logged, and, at the end, the schemas dropped.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { dropSchema, REPO_ROOT, testDatabaseUrl, testKafkaBrokers, uniqueName } from '@lib/testing';
import { closeChromium, launchChromium } from '../support/browser';
import { SERVICES, SystemHarness } from '../system/system-harness';
import { explainFailure, watchPage } from './failure-report';

export interface Person {
  username: string;
  password: string;
}

const CONTEXT_DEFAULTS: BrowserContextOptions = {
  locale: 'en-US',
  viewport: { width: 1600, height: 900 },
  acceptDownloads: true,
  // As a person who asked their system for less motion: the console then turns Ant Design's animations off, so no
  // test waits on a transition (one that has nothing to animate never ends, and a busy machine runs them late).
  // received.browser-spec.ts checks the console with motion as well.
  reducedMotion: 'reduce',
};

export class ConsoleBrowser {
  readonly scope: string;
  readonly logDir: string;
  system!: SystemHarness;
  private browser?: Browser;
  private readonly pages: Page[] = [];
  /** When the running test began (the end of the previous one): a failure reports what was logged since. */
  private testStartedAt = Date.now();

  constructor(name: string) {
    this.scope = uniqueName(name);
    this.logDir = join(REPO_ROOT, '.cache/test-logs', this.scope);
  }

  /**
   * The system and Chromium, started side by side. If either fails, the other is stopped before the error is thrown:
   * a system left running would load every spec after this one.
   */
  async start(): Promise<void> {
    if (!existsSync(join(REPO_ROOT, 'dist/console-web/index.html'))) {
      execFileSync(process.execPath, [join(REPO_ROOT, 'apps/console/web/build.mjs')], { stdio: 'pipe' });
    }
    const [system, browser] = await Promise.allSettled([
      SystemHarness.start({
        runtime: 'ts',
        databaseUrl: testDatabaseUrl(),
        kafkaBrokers: testKafkaBrokers().join(','),
        scope: this.scope,
        logDir: this.logDir,
        console: true,
        logLevel: process.env.BROWSER_LOG_LEVEL ?? 'warn',
      }),
      launchChromium(),
    ]);
    if (system.status === 'fulfilled') this.system = system.value;
    if (browser.status === 'fulfilled') this.browser = browser.value;
    if (system.status === 'rejected' || browser.status === 'rejected') {
      await this.stop();
      throw system.status === 'rejected' ? system.reason : (browser as PromiseRejectedResult).reason;
    }
    this.testStartedAt = Date.now();
  }

  async stop(): Promise<void> {
    if (this.browser) await closeChromium(this.browser);
    if (!this.system) return;
    await this.system.stop();
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
      await page.screenshot({ path: join(this.logDir, `${name}-${i}.png`) }).catch(() => undefined);
      await page
        .context()
        .close()
        .catch(() => undefined);
    }
    this.pages.length = 0;
    this.testStartedAt = Date.now();
  }

  /**
   * A page in a browser context of its own (English, a desktop viewport, downloads accepted, reduced motion, unless
   * `options` say otherwise).
   */
  async newPage(options: BrowserContextOptions = {}): Promise<Page> {
    if (!this.browser) throw new Error('the console browser is not started');
    const context = await this.browser.newContext({ ...CONTEXT_DEFAULTS, ...options });
    const page = watchPage(await context.newPage());
    this.pages.push(page);
    return page;
  }

  /** A person signed in at the IdP, in a browser context of their own, on `path` of the console. */
  async signIn(person: Person, path: string, options: BrowserContextOptions = {}): Promise<Page> {
    const page = await this.newPage(options);
    await page.goto(`${this.system.consoleUrl}${path}`);
    await page.getByLabel('Username').fill(person.username);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    try {
      await page.waitForURL(
        (url) => url.origin === this.system.consoleUrl && !url.pathname.startsWith('/auth/'),
      );
    } catch (error) {
      throw await this.explain(error, page);
    }
    return page;
  }

  /** Waits for the locator's first element to show; a failure says what the page showed instead and what was logged. */
  async visible(locator: Locator, timeoutMs = 30_000): Promise<void> {
    try {
      await locator.first().waitFor({ state: 'visible', timeout: timeoutMs });
    } catch (error) {
      throw await this.explain(error, locator.page());
    }
  }

  /** `error`, with what `page` shows and what the system logged since the test began. */
  explain(error: unknown, page: Page): Promise<Error> {
    return explainFailure(error, page, this.logDir, this.testStartedAt);
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
  await page
    .locator('.ant-modal.ant-zoom-enter, .ant-modal.ant-zoom-appear')
    .first()
    .waitFor({ state: 'detached' });
  return dialog;
}

/** Picks an option of the antd select labelled `label` inside `scope`. */
export async function pick(page: Page, scope: ReturnType<Page['getByRole']>, label: string, option: string) {
  await scope.getByLabel(label, { exact: true }).click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: option })
    .first()
    .click();
}
