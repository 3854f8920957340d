// Received invoices (进项) in the console, as a branch clerk uses them: a real Chromium signs the clerk in at the sandbox's
// IdP against the whole system. The supplier's invoice is planted at the sandbox authority; the clerk registers it on
// the page (the form refuses a wrong total first), checks it now (查验 at the sandbox authority), sees the result on the
// row and in its check history, and, once the invoice's checks for the day are used up, is told so with the code.
import {
  BUYER_TAX_NO,
  digitalSpecialInvoice,
  SELLER_TAX_NO,
} from '../../libs/domain/src/testing/invoice.fixture';
import { callAs, ConsoleBrowser, dialogOpened, pick } from './console-browser';

jest.setTimeout(300_000);

const CLERK = { username: 'clerk-sz', password: 'demo-clerk-sz-pass', name: '李会计（深圳）' };
const AUDITOR = { username: 'auditor', password: 'demo-auditor-pass' };
const BRANCH = 'sz-futian-01';

/**
 * Records in `window.motionSeen` every class an element takes that says it is animating in (the start and active steps
 * of Ant Design's modal zoom; the prepare step comes without motion too, where it only measures).
 */
const WATCH_MOTION = `{
  const seen = (window.motionSeen = []);
  const note = (el) => /ant-zoom-(appear|enter)-(start|active)/.test(String(el.className)) && seen.push(String(el.className));
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === 'attributes') note(change.target);
      for (const added of change.addedNodes)
        if (added instanceof Element) [added, ...added.querySelectorAll('*')].forEach(note);
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
}`;

describe('received invoices in the console', () => {
  const consoleBrowser = new ConsoleBrowser('received');
  const number = `2544200000${String(Date.now()).slice(-10)}`;
  // issued two days ago at 10:00 Beijing time: visible to 查验 at once
  const day = new Date(Date.now() - 2 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
  const supplied = digitalSpecialInvoice({ number, issuedAt: `${day}T10:00:00+08:00` });

  beforeAll(async () => {
    await consoleBrowser.start();
    await consoleBrowser.system.sandbox.plantReceivedInvoices([{ invoice: supplied, status: 'normal' }]);
  });
  afterAll(() => consoleBrowser.stop());
  afterEach(() => consoleBrowser.closePages());

  it('lets a clerk register an invoice, check it at the authority and see the result and its history', async () => {
    const page = await consoleBrowser.signIn(CLERK, '/received?lang=en');
    await page.getByRole('link', { name: 'Received invoices', exact: true }).waitFor();

    // register it on the page: the form refuses a total that is not amount + tax before anything is sent
    await page.getByRole('button', { name: 'Register an invoice' }).click();
    const dialog = await dialogOpened(page, 'Register a received invoice');
    await pick(page, dialog, 'Branch', BRANCH);
    await pick(page, dialog, 'Invoice type', 'DIGITAL_SPECIAL');
    await dialog.getByLabel('Invoice number').fill(number);
    await dialog.getByLabel('Issued (Beijing time)').fill(`${day} 10:00`);
    await dialog.getByLabel('Issued (Beijing time)').press('Enter');
    await dialog.getByLabel('Seller name').fill(supplied.sellerName);
    await dialog.getByLabel('Seller tax number').fill(SELLER_TAX_NO);
    await dialog.getByLabel('Buyer tax number (ours)').fill(BUYER_TAX_NO);
    await dialog.getByLabel('Amount excl. tax').fill(supplied.amount);
    await dialog.getByLabel('Tax', { exact: true }).fill(supplied.taxAmount);
    await dialog.getByLabel('Total incl. tax').fill('1.00');
    await dialog.getByRole('button', { name: 'OK', exact: true }).click();
    await dialog.getByText('Amount + tax must equal the total').waitFor();
    await dialog.getByLabel('Total incl. tax').fill(supplied.totalAmount);
    const registered = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith('/api/reconcile/received-invoices'),
    );
    await dialog.getByRole('button', { name: 'OK', exact: true }).click();
    const answer = await registered;
    expect(answer.status()).toBe(201);
    const body = (await answer.json()) as {
      status: string;
      receivedInvoice: { id: string; issuedAt: string };
    };
    expect(body.status).toBe('created');
    expect(body.receivedInvoice.issuedAt).toBe(new Date(supplied.issuedAt).toISOString());
    await dialog.waitFor({ state: 'hidden' });

    // the row, not checked yet
    const row = page.locator(`tr[data-received-id="${body.receivedInvoice.id}"]`);
    await row.getByTestId('check-result').waitFor({ timeout: 30_000 });
    expect(await row.getByTestId('check-result').textContent()).toBe('Not checked yet');
    for (const expected of [number, SELLER_TAX_NO, BUYER_TAX_NO, BRANCH, supplied.totalAmount, CLERK.name])
      expect(await row.innerText()).toContain(expected);

    // check it now: the sandbox authority holds it, normal
    const checked = page.waitForResponse(
      (r) =>
        r.request().method() === 'POST' &&
        r.url().endsWith(`/received-invoices/${body.receivedInvoice.id}/checks`),
    );
    await row.getByRole('button', { name: 'Check now' }).click();
    expect((await checked).status()).toBe(200);
    await row.getByTestId('check-result').getByText('Valid', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await row.innerText()).toContain('Tax authority');

    // its history: one check by the clerk, answered by the authority. A newly registered invoice is also due for the
    // scheduled re-check at once, which may have checked it before the click: any other row is that one's.
    await row.getByRole('button', { name: 'Checks' }).click();
    const drawer = page.getByRole('dialog', { name: `Checks (查验) of invoice ${number}` });
    const checks = drawer.locator('tr[data-check-id]');
    await checks.first().waitFor({ timeout: 30_000 });
    const byClerk = checks.filter({
      has: page.getByTestId('check-requested-by').getByText(CLERK.name, { exact: true }),
    });
    expect(await byClerk.count()).toBe(1);
    expect(await byClerk.getByTestId('check-result').textContent()).toBe('Valid');
    expect(await byClerk.getByTestId('check-channel').textContent()).toBe('Tax authority');
    const scheduled = checks.filter({
      hasNot: page.getByTestId('check-requested-by').getByText(CLERK.name, { exact: true }),
    });
    for (const text of await scheduled.allInnerTexts()) expect(text).toContain('Scheduled re-check');
    expect(await checks.count()).toBeLessThanOrEqual(2);
    await drawer.getByRole('button', { name: 'Close' }).click();

    // the day's checks of this invoice used up: the page says so with the code, and nothing more was recorded
    let refused = 0;
    for (let i = 0; i < 8 && refused === 0; i++) {
      const again = await callAs(
        page,
        'POST',
        `/api/reconcile/received-invoices/${body.receivedInvoice.id}/checks`,
        {},
      );
      if (again.status === 429) refused += 1;
      else expect(again.status).toBe(200);
    }
    expect(refused).toBe(1);
    const before = await callAs(
      page,
      'GET',
      `/api/reconcile/received-invoices/${body.receivedInvoice.id}/checks`,
    );
    await row.getByRole('button', { name: 'Check now' }).click();
    const notice = page.locator('.ant-notification-notice').filter({ hasText: 'QUOTA_EXHAUSTED' });
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.innerText()).toContain('nothing was sent');
    const after = await callAs(
      page,
      'GET',
      `/api/reconcile/received-invoices/${body.receivedInvoice.id}/checks`,
    );
    expect(after.body.items).toHaveLength((before.body.items as unknown[]).length);
  });

  it("animates the console's dialogs, unless the person's system asks for reduced motion", async () => {
    const animations: Record<string, string[]> = {};
    for (const reducedMotion of ['no-preference', 'reduce'] as const) {
      const page = await consoleBrowser.signIn(CLERK, '/received?lang=en', { reducedMotion });
      const open = page.getByRole('button', { name: 'Register an invoice' });
      await open.waitFor();
      await page.evaluate(WATCH_MOTION);
      await open.click();
      const dialog = page.getByRole('dialog', { name: 'Register a received invoice' });
      await dialog.getByLabel('Invoice number').waitFor();
      animations[reducedMotion] = (await page.evaluate('window.motionSeen')) as string[];
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
    }
    expect(animations['no-preference'].length).toBeGreaterThan(0);
    expect(animations.reduce).toEqual([]);
  });

  it('shows an auditor the invoices without registering or checking', async () => {
    const page = await consoleBrowser.signIn(AUDITOR, '/received?lang=en');
    const row = page.locator('tbody tr').filter({ hasText: number });
    await row.getByTestId('check-result').first().waitFor({ timeout: 30_000 });
    expect(await page.getByRole('button', { name: 'Register an invoice' }).count()).toBe(0);
    expect(await row.getByRole('button', { name: 'Check now' }).count()).toBe(0);
    expect(await row.getByRole('button', { name: 'Checks' }).count()).toBe(1);
  });
});
