// What a browser spec's failure says besides the element it waited for: where the page was, what it showed instead
// (a notification, a message, an alert, or a crash), and what the system's processes logged as warnings or errors
// while the test ran. CI prints only the failure's message; the screenshots and the logs stay on the machine.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

const crashed = new WeakSet<Page>();
const NOTICES = '.ant-notification-notice, .ant-message-notice, .ant-alert, .ant-result, [role=alert]';
const MAX_LOG_LINES = 25;

/** Remembers a page's renderer crash, which a wait on the page would otherwise report as a plain timeout. */
export function watchPage(page: Page): Page {
  page.on('crash', () => crashed.add(page));
  return page;
}

/**
 * The error to throw instead of `error`: its message, then the page's address and what it shows, then the system's
 * warnings and errors logged since `since` (epoch ms) under `logDir` (one `<process>.log` each).
 */
export async function explainFailure(
  error: unknown,
  page: Page,
  logDir: string,
  since: number,
): Promise<Error> {
  const lines = [error instanceof Error ? error.message : String(error), '', ...(await pageState(page))];
  const logged = recentWarnings(logDir, since);
  lines.push(
    logged.length
      ? 'the system logged meanwhile (warnings and errors, last first):'
      : 'the system logged no warning meanwhile',
  );
  lines.push(...logged.map((line) => `  ${line}`));
  return new Error(lines.join('\n'), { cause: error });
}

async function pageState(page: Page): Promise<string[]> {
  if (crashed.has(page)) return ['the page crashed (its renderer died)'];
  if (page.context().browser()?.isConnected() === false)
    return ['the browser is gone (Chromium exited or crashed)'];
  if (page.isClosed()) return ['the page is closed'];
  const shown = await page
    .locator(NOTICES)
    .allInnerTexts()
    .catch(() => [] as string[]);
  const title = await page.title().catch(() => '(no title)');
  return [
    `the page: ${page.url()} (title: ${title})`,
    ...(shown.length
      ? shown.map((text) => `it shows: ${oneLine(text, 300)}`)
      : ['it shows no notification or alert']),
  ];
}

/** The newest warnings and errors of every process log in `logDir` since `since`, and any process's exit. */
export function recentWarnings(logDir: string, since: number): string[] {
  const found: { at: number; text: string }[] = [];
  let files: string[];
  try {
    files = readdirSync(logDir).filter((name) => name.endsWith('.log'));
  } catch {
    return [`(no logs under ${logDir})`];
  }
  for (const file of files) {
    const name = file.replace(/\.log$/, '');
    for (const line of readFileSync(join(logDir, file), 'utf8').split('\n')) {
      if (line.startsWith('--- ') && line.includes(' exited ')) {
        found.push({ at: Number.MAX_SAFE_INTEGER, text: line.replace(/^-+\s*|\s*-+$/g, '') });
        continue;
      }
      const entry = parse(line);
      if (!entry || !['warn', 'error', 'fatal'].includes(String(entry.level))) continue;
      const at = Date.parse(String(entry.time));
      if (!(at >= since)) continue;
      found.push({
        at,
        text: `${String(entry.time).slice(11, 23)} ${name} ${String(entry.level)}: ${summary(entry)}`,
      });
    }
  }
  return found
    .sort((a, b) => b.at - a.at)
    .slice(0, MAX_LOG_LINES)
    .map((f) => f.text);
}

function parse(line: string): Record<string, unknown> | null {
  if (!line.startsWith('{')) return null;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function summary(entry: Record<string, unknown>): string {
  const req = entry.req as { method?: string; url?: string } | undefined;
  const res = entry.res as { statusCode?: number } | undefined;
  const err = entry.err as { message?: string } | undefined;
  const parts = [
    String(entry.msg ?? ''),
    entry.code ? `code=${String(entry.code)}` : '',
    req?.url ? `${req.method ?? ''} ${req.url}` : '',
    res?.statusCode ? `→ ${res.statusCode}` : '',
    err?.message ? `(${err.message})` : '',
  ];
  return oneLine(parts.filter(Boolean).join(' '), 400);
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
