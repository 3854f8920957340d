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
