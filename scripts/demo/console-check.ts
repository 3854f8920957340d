// The demo's proof that a person can use the console: the Shenzhen clerk signs in through the IdP's login form (as a
// browser does: cookies, redirects, the form post) and reads findings through the console, which must be exactly the
// findings of the clerk's branches, every one of them and no other.
import { Client } from 'pg';
import { DEMO_IDP_PEOPLE } from '@lib/simulators';
import type { Check } from '../../test/system/month-report';
import { CookieBrowser, formOf } from '../../test/support/cookie-browser';
import type { SystemHarness } from '../../test/system/system-harness';

const CLERK = DEMO_IDP_PEOPLE.find((p) => p.roles.includes('branch-clerk'))!;

export async function checkConsole(system: SystemHarness, databaseUrl: string): Promise<Check[]> {
  const browser = new CookieBrowser('zh-CN');
  const login = await browser.open(`${system.consoleUrl}/findings`);
  const { action, hidden } = formOf(login);
  const landed = await browser.open(action, {
    form: { ...hidden, username: CLERK.username, password: CLERK.password },
  });
  const signedIn = landed.status === 200 && landed.url.startsWith(system.consoleUrl);

  const seen = new Set<string>();
  let cursor: string | null = null;
  if (signedIn) {
    do {
      const page = await browser.open(
        `${system.consoleUrl}/api/reconcile/findings?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      if (page.status !== 200)
        throw new Error(`the console answered ${page.status} to the clerk: ${page.body.slice(0, 300)}`);
      const body = JSON.parse(page.body) as { items: { id: string }[]; nextCursor: string | null };
      for (const item of body.items) seen.add(item.id);
      cursor = body.nextCursor;
    } while (cursor);
  }

  const expected = await findingsOfBranches(databaseUrl, system.schemaOf('reconcile'), CLERK.branches);
  const missing = expected.filter((id) => !seen.has(id)).length;
  const foreign = [...seen].filter((id) => !expected.includes(id)).length;
  return [
    {
      name: `console: ${CLERK.username} signs in at the IdP`,
      expected: 'signed in',
      actual: signedIn ? 'signed in' : `HTTP ${landed.status} at ${landed.url}`,
      ok: signedIn,
    },
    {
      name: `console: ${CLERK.username} sees the findings of ${CLERK.branches.join(', ')}`,
      expected: expected.length,
      actual: seen.size - foreign,
      ok: signedIn && expected.length > 0 && missing === 0,
    },
    {
      name: "console: the clerk sees no other branch's finding",
      expected: 0,
      actual: foreign,
      ok: signedIn && foreign === 0,
    },
  ];
}

async function findingsOfBranches(
  databaseUrl: string,
  schema: string,
  branches: readonly string[],
): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `SELECT id FROM ${schema}.findings WHERE branch_id = ANY($1::text[])`,
      [branches],
    );
    return rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}
