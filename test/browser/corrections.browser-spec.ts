// Red-letter corrections (红字确认单) in the console, as finance managers use them: a real Chromium signs two managers
// in at the sandbox's IdP against the whole system. One proposes the correction of a mismatch through the console's
// API (as the page's own session), the other approves it on the Corrections page; the proposer's own row offers no
// decision and says why. The mismatch finding is planted in reconcile's tables (how findings arise is the e2e suites').
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Browser, Page } from 'playwright-core';
import { dropSchema, REPO_ROOT, testDatabaseUrl, testKafkaBrokers, uniqueName } from '@lib/testing';
import { launchChromium } from '../support/browser';
import { SERVICES, SystemHarness } from '../system/system-harness';

jest.setTimeout(300_000);

const TAX_NO = '91440300MA5TEST01X';
const BRANCH = 'sz-futian-01';
const PROPOSER = { username: 'manager', password: 'demo-manager-pass', name: '王财务经理' };
const APPROVER = {
  username: 'manager-2',
  password: 'demo-manager-2-pass',
  name: '李财务经理',
  email: 'manager-2@example.test',
};
const CLERK = { username: 'clerk-sz', password: 'demo-clerk-sz-pass' };

describe('red-letter corrections in the console', () => {
  const scope = uniqueName('corrections');
  let system: SystemHarness;
  let browser: Browser;
  const pages: Page[] = [];
  let findingId = '';
  const number = `2544200000${String(Date.now()).slice(-10)}`;

  beforeAll(async () => {
    if (!existsSync(join(REPO_ROOT, 'dist/console-web/index.html'))) {
      execFileSync(process.execPath, [join(REPO_ROOT, 'apps/console/web/build.mjs')], { stdio: 'pipe' });
    }
    [system, browser] = await Promise.all([
      SystemHarness.start({
        runtime: 'ts',
        databaseUrl: testDatabaseUrl(),
        kafkaBrokers: testKafkaBrokers().join(','),
        scope,
        logDir: join(REPO_ROOT, '.cache/test-logs', scope),
        console: true,
        logLevel: 'warn',
      }),
      launchChromium(),
    ]);
    // a second finance manager, to approve what the first proposes
    const added = await fetch(`${system.sandboxUrls.control}/__sandbox/idp/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...APPROVER, roles: ['finance-manager'], branches: [] }),
    });
    expect(added.status).toBe(201);
    findingId = await plantMismatch(system.schemaOf('reconcile'), number);
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    for (const service of [...SERVICES, 'console'] as const) {
      await dropSchema(service === 'console' ? `${scope}_console` : system.schemaOf(service)).catch(
        () => undefined,
      );
    }
  });

  afterEach(async () => {
    const name = (expect.getState().currentTestName ?? 'test').replace(/\W+/g, '-');
    for (const [i, page] of pages.entries()) {
      if (page.isClosed()) continue;
      await page
        .screenshot({ path: join(REPO_ROOT, '.cache/test-logs', scope, `${name}-${i}.png`) })
        .catch(() => undefined);
      await page
        .context()
        .close()
        .catch(() => undefined);
    }
    pages.length = 0;
  });

  async function signIn(person: { username: string; password: string }, path: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1600, height: 900 } });
    const page = await context.newPage();
    pages.push(page);
    await page.goto(`${system.consoleUrl}${path}`);
    await page.getByLabel('Username').fill(person.username);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.origin === system.consoleUrl && !url.pathname.startsWith('/auth/'));
    return page;
  }

  /** A call through the console as the signed-in person's page makes it (with the CSRF token). */
  function call(page: Page, method: string, path: string, body?: unknown) {
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

  it('lets another finance manager approve a proposal in the browser; the proposer cannot, and is told why', async () => {
    // A proposes (their own name and note), through the console's API
    const proposer = await signIn(PROPOSER, '/corrections?lang=en');
    const proposed = await call(proposer, 'POST', '/api/reconcile/corrections', {
      findingId,
      reasonCode: '01',
      amount: '884.96',
      taxAmount: '115.04',
      note: 'the buyer was invoiced 1000.01 instead of 1000.00',
    });
    expect(proposed).toMatchObject({
      status: 201,
      body: { state: 'proposed', proposedBy: { name: PROPOSER.name }, totalAmount: '1000.00' },
    });
    const id = String(proposed.body.id);

    // the proposer's row: no decision possible, and the page says why; the service refuses it too
    await proposer.reload();
    const ownRow = proposer.locator(`tr[data-correction-id="${id}"]`);
    await ownRow.getByTestId('own-proposal').waitFor({ timeout: 30_000 });
    expect(await ownRow.getByTestId('own-proposal').textContent()).toBe(
      'You proposed it: another finance manager must decide',
    );
    expect(await ownRow.getByRole('button', { name: 'Approve' }).isDisabled()).toBe(true);
    expect(await ownRow.getByRole('button', { name: 'Reject' }).isDisabled()).toBe(true);
    const self = await call(proposer, 'POST', `/api/reconcile/corrections/${id}/approve`, {});
    expect([self.status, self.body.code ?? self.body.error?.code]).toEqual([403, 'SELF_APPROVAL']);

    // B sees it proposed, with its amounts, reason and proposer, and approves it with a note
    const approver = await signIn(APPROVER, '/corrections?lang=en');
    await approver.getByRole('link', { name: 'Corrections', exact: true }).first().waitFor();
    const row = approver.locator(`tr[data-correction-id="${id}"]`);
    await row.getByTestId('correction-state').waitFor({ timeout: 30_000 });
    expect(await row.getByTestId('correction-state').textContent()).toBe('Proposed');
    const shown = await row.innerText();
    for (const expected of [number, '884.96', '115.04', '1000.00', '01 Invoicing error', PROPOSER.name, BRANCH])
      expect(shown).toContain(expected);
    expect(await row.getByTestId('own-proposal').count()).toBe(0);
    await row.getByRole('button', { name: 'Approve' }).click();
    const dialog = approver.getByRole('dialog', { name: 'Approve this red-letter correction' });
    await dialog.waitFor();
    await approver
      .locator('.ant-modal.ant-zoom-enter, .ant-modal.ant-zoom-appear')
      .first()
      .waitFor({ state: 'detached' });
    await dialog.getByLabel('Note (optional)').fill('checked against the contract');
    const sent = approver.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith(`/api/reconcile/corrections/${id}/approve`),
    );
    await dialog.getByRole('button', { name: 'OK', exact: true }).click();
    expect((await sent).status()).toBe(200);
    await dialog.waitFor({ state: 'hidden' });

    // the row changes state and names the approver, with their note
    await row.getByTestId('correction-state').getByText(/^(Approved|Submitted)$/).waitFor({ timeout: 30_000 });
    expect(await row.getByTestId('correction-approver').textContent()).toBe(APPROVER.name);
    expect(await row.innerText()).toContain('because checked against the contract');
    expect(await row.getByRole('button', { name: 'Approve' }).count()).toBe(0);

    // recorded under B's name in the correction's history
    const view = await call(approver, 'GET', `/api/reconcile/corrections/${id}`);
    expect(view.body.decidedBy).toMatchObject({ kind: 'person', name: APPROVER.name });
    expect(
      (view.body.history as { action: string; actor: { name: string } }[]).map((h) => [h.action, h.actor.name]),
    ).toEqual(
      expect.arrayContaining([
        ['proposed', PROPOSER.name],
        ['approved', APPROVER.name],
      ]),
    );
  });

  it('shows a branch clerk the corrections of their branch without any decision', async () => {
    const page = await signIn(CLERK, '/corrections?lang=en');
    const row = page.locator('tbody tr').filter({ hasText: number });
    await row.getByTestId('correction-state').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('columnheader', { name: 'Actions' }).count()).toBe(0);
    expect(await row.getByRole('button').count()).toBe(0);
  });
});

/** An amount mismatch in remediation: our ledger says 1000.01, the authority's copy 1000.00. */
async function plantMismatch(schema: string, number: string): Promise<string> {
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    const id = randomUUID();
    const evidence = {
      ledger: { amount: '884.96', taxAmount: '115.05', totalAmount: '1000.01' },
      authority: { amount: '884.96', taxAmount: '115.04', totalAmount: '1000.00' },
    };
    await client.query(
      `INSERT INTO ${schema}.findings (id, tax_no, period, type, subject, state, severity, branch_id, device_id, invoice_key,
         invoice_type, invoice_code, invoice_number, explanation, evidence, created_at, updated_at)
       VALUES ($1, $2, '2026-10', 'AMOUNT_MISMATCH', $3, 'remediating', 'warning', $4, 'dev-sz', $3, 'DIGITAL_SPECIAL', NULL, $3,
         $5, $6, now(), now())`,
      [id, TAX_NO, number, BRANCH, `Invoice ${number}: 1000.01 in our ledger, 1000.00 at the authority.`, JSON.stringify(evidence)],
    );
    return id;
  } finally {
    await client.end();
  }
}
