import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, installed by scripts/ensure-chromium.sh when missing (playwright-core downloads no browser).
 * Headless, without the setuid sandbox (CI runs as root).
 */
export async function launchChromium(): Promise<Browser> {
  const path = execFileSync('bash', [resolve(__dirname, '../../scripts/ensure-chromium.sh')], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()!;
  return chromium.launch({ executablePath: path, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/**
 * Closes Chromium, waiting at most `timeoutMs`: a browser that hangs on close is left to the test process's exit with
 * a warning, instead of failing a suite whose tests all passed.
 */
export async function closeChromium(browser: Browser, timeoutMs = 30_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    browser.close().then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
  ]).finally(() => clearTimeout(timer));
  if (!closed) console.warn(`Chromium did not close within ${timeoutMs} ms; it ends with the test process`);
}
