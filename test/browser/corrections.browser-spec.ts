// Red-letter corrections (红字确认单) in the console, as finance managers use them: a real Chromium signs two managers
// in at the sandbox's IdP against the whole system. One proposes the correction of a mismatch through the console's
// API (as the page's own session), the other approves it on the Corrections page; the proposer's own row offers no
// decision and says why. Another proposes on the page's form from the finding, re-issuing the invoice, and names the
// re-issue on the row. The mismatch findings (and the re-issue in our ledger) are planted in reconcile's tables (how
// findings arise is the e2e suites').
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { testDatabaseUrl } from '@lib/testing';
import { callAs, ConsoleBrowser, dialogOpened } from './console-browser';

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
  const consoleBrowser = new ConsoleBrowser('corrections');
  let findingId = '';
  const number = `2544200000${String(Date.now()).slice(-10)}`;
  const signIn = (person: { username: string; password: string }, path: string) => consoleBrowser.signIn(person, path);
  const call = callAs;

  beforeAll(async () => {
    await consoleBrowser.start();
    const { system } = consoleBrowser;
    // a second finance manager, to approve what the first proposes
    const added = await fetch(`${system.sandboxUrls.control}/__sandbox/idp/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...APPROVER, roles: ['finance-manager'], branches: [] }),
    });
    expect(added.status).toBe(201);
    findingId = await plantMismatch(system.schemaOf('reconcile'), number);
  });
  afterAll(() => consoleBrowser.stop());
  afterEach(() => consoleBrowser.closePages());

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
    const dialog = await dialogOpened(approver, 'Approve this red-letter correction');
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

  it('lets a manager propose a re-issuing correction on the form from its finding and name the re-issue on its row', async () => {
    const schema = consoleBrowser.system.schemaOf('reconcile');
    const original = `2544200001${String(Date.now()).slice(-10)}`;
    const reissued = `2544200002${String(Date.now()).slice(-10)}`;
    const mismatch = await plantMismatch(schema, original);
    await plantLedgerInvoice(schema, reissued);

    // from the finding to the form, the finding already named
    const page = await signIn(PROPOSER, `/findings/${mismatch}?lang=en`);
    await page.getByRole('link', { name: 'Propose a red-letter correction' }).click();
    const form = await dialogOpened(page, 'Propose a red-letter correction');
    expect(await form.getByLabel('Finding ID').inputValue()).toBe(mismatch);
    await form.getByLabel('Amount to reverse (excl. tax)').fill('0');
    await form.getByLabel('Tax to reverse').fill('0');
    await form.getByLabel('Why (recorded with the proposal)').fill('re-issued with the agreed amount');
    await form.getByRole('button', { name: 'OK', exact: true }).click();
    await form.getByText('Nothing to reverse: give an amount or a tax').first().waitFor();
    await form.getByLabel('Amount to reverse (excl. tax)').fill('884.96');
    await form.getByLabel('Tax to reverse').fill('115.04');
    await form.getByLabel('Re-issue the invoice corrected').check();
    const proposed = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/reconcile/corrections'));
    await form.getByRole('button', { name: 'OK', exact: true }).click();
    const answer = await proposed;
    expect(answer.status()).toBe(201);
    const id = String(((await answer.json()) as { id: string }).id);
    await form.waitFor({ state: 'hidden' });
    expect(new URL(page.url()).searchParams.has('propose')).toBe(false);

    const row = page.locator(`tr[data-correction-id="${id}"]`);
    await row.getByTestId('correction-state').getByText('Proposed', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await row.getByTestId('correction-reissue').textContent()).toBe('Awaiting its re-issue');
    expect(await row.innerText()).toContain('re-issued with the agreed amount');

    // the original itself cannot re-issue it: the service's refusal shows on the field with its code
    await row.getByRole('button', { name: 'Name the re-issue' }).click();
    const naming = await dialogOpened(page, 'Name the invoice that re-issues this one');
    const key = naming.getByLabel('Re-issued invoice (code-number, or the fully digital number)');
    await key.fill(original);
    await naming.getByRole('button', { name: 'OK', exact: true }).click();
    await naming.getByText('(REISSUE_INVALID)', { exact: false }).waitFor({ timeout: 30_000 });
    await key.fill(reissued);
    await naming.getByLabel('Note (optional)').fill('issued again with the agreed amount');
    const named = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/corrections/${id}/reissue`));
    await naming.getByRole('button', { name: 'OK', exact: true }).click();
    expect((await named).status()).toBe(200);
    await naming.waitFor({ state: 'hidden' });
    await row.getByTestId('correction-reissue').getByText(reissued, { exact: true }).waitFor({ timeout: 30_000 });
    expect(await row.getByRole('button', { name: 'Change the re-issue' }).count()).toBe(1);

    // recorded under the manager's name
    const view = await call(page, 'GET', `/api/reconcile/corrections/${id}`);
    expect(view.body).toMatchObject({ reissue: true, reissueInvoiceKey: reissued, proposedBy: { name: PROPOSER.name } });
    expect((view.body.history as { action: string; actor: { name: string } }[]).map((h) => [h.action, h.actor.name])).toEqual(
      expect.arrayContaining([['reissue-linked', PROPOSER.name]]),
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

/** A blue invoice of our ledger in force, of the same taxpayer: what may re-issue a reversed one. */
async function plantLedgerInvoice(schema: string, number: string): Promise<void> {
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO ${schema}.ledger_invoices (invoice_key, tax_no, branch_id, device_id, period, invoice_type, invoice_code,
         invoice_number, colour, state, amount, tax_amount, total_amount, issued_at, received_at, source, updated_at)
       VALUES ($1, $2, $3, 'dev-sz', '2026-10', 'DIGITAL_SPECIAL', NULL, $1, 'blue', 'issued', 884.96, 115.04, 1000.00, now(), now(),
         'ledger', now())`,
      [number, TAX_NO, BRANCH],
    );
  } finally {
    await client.end();
  }
}

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
