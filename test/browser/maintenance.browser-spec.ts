// Maintenance windows (维护窗口) in the console, as people use them: a real Chromium signs people in at the sandbox's
// IdP against the whole system (sandbox, four services, console). The admin announces a window on the Maintenance
// page with the form (target, start and end in Beijing time, reason, taxpayers), changes it and cancels it; reconcile
// records each change under the admin's name. A branch clerk sees the window with its state and revision, and no
// button to change anything; reconcile refuses the clerk's call as well.
import type { Locator, Page } from 'playwright-core';
import { withUsccCheckDigit } from '@lib/domain';
import { uniqueName } from '@lib/testing';
import { callAs, ConsoleBrowser, dialogOpened } from './console-browser';

jest.setTimeout(300_000);

const ADMIN = { username: 'admin', password: 'demo-admin-pass', name: '系统管理员' };
const CLERK = { username: 'clerk-sz', password: 'demo-clerk-sz-pass' };
const TAX_NO = withUsccCheckDigit('91440300MA5G2K8N1');
const DAY = 86_400_000;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A Beijing wall-clock time some days ahead of now, as the form takes it ('YYYY-MM-DD HH:mm') and as the API answers it. */
function beijing(daysAhead: number, hour: number): { typed: string; iso: string } {
  const day = new Date(Date.now() + 8 * 3_600_000 + daysAhead * DAY).toISOString().slice(0, 10);
  const typed = `${day} ${String(hour).padStart(2, '0')}:00`;
  return { typed, iso: new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`).toISOString() };
}

describe('maintenance windows in the console', () => {
  const consoleBrowser = new ConsoleBrowser('maintenance');
  const reason = `税局系统升级 ${uniqueName('maintenance')}`;
  const start = beijing(3, 22);
  const end = beijing(4, 6);
  const laterEnd = beijing(4, 8);
  let windowId = '';

  beforeAll(() => consoleBrowser.start());
  afterAll(() => consoleBrowser.stop());
  afterEach(() => consoleBrowser.closePages());

  async function pickTime(page: Page, dialog: Locator, label: string, typed: string): Promise<void> {
    const input = dialog.getByLabel(label);
    await input.click();
    await input.fill(typed);
    await input.press('Enter');
    await page.locator('.ant-picker-dropdown:visible').waitFor({ state: 'hidden' });
    expect(await input.inputValue()).toBe(typed);
  }

  async function confirm(page: Page, dialog: Locator, method: string, path: RegExp): Promise<number> {
    const sent = page.waitForResponse(
      (r) => r.request().method() === method && path.test(new URL(r.url()).pathname),
    );
    await dialog.getByRole('button', { name: 'OK', exact: true }).click();
    const status = (await sent).status();
    await dialog.waitFor({ state: 'hidden' });
    return status;
  }

  it('lets an admin announce a window with the form, change it and cancel it, each under their name', async () => {
    const page = await consoleBrowser.signIn(ADMIN, '/maintenance?lang=en');
    expect(
      await page.getByRole('link', { name: 'Maintenance', exact: true }).first().getAttribute('href'),
    ).toBe('/maintenance');
    await page
      .getByRole('heading', { name: 'Maintenance windows' })
      .or(page.getByText('Maintenance windows'))
      .first()
      .waitFor();

    // announce: the Baiwang platform, tomorrow's night in Beijing time, one taxpayer
    await page.getByRole('button', { name: 'Announce a window' }).click();
    const form = await dialogOpened(page, 'Announce a maintenance window');
    await form.getByLabel('Target').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Baiwang' })
      .click();
    await pickTime(page, form, 'Starts (Beijing time)', start.typed);
    await pickTime(page, form, 'Ends (Beijing time)', end.typed);
    await form.getByLabel('Reason').fill(reason);
    const taxNos = form.getByLabel('Taxpayers');
    await taxNos.fill(TAX_NO);
    await taxNos.press('Enter');
    await form.locator('.ant-select-selection-item', { hasText: TAX_NO }).waitFor();
    const created = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith('/api/reconcile/maintenance-windows'),
    );
    await form.getByRole('button', { name: 'OK', exact: true }).click();
    const answer = await created;
    expect(answer.status()).toBe(201);
    const window = (await answer.json()) as Json;
    windowId = String(window.id);
    expect(window).toMatchObject({
      target: 'baiwang',
      startsAt: start.iso,
      endsAt: end.iso,
      reason,
      taxNos: [TAX_NO],
      revision: 1,
      createdBy: { kind: 'person', name: ADMIN.name },
    });
    await form.waitFor({ state: 'hidden' });

    // the list shows it upcoming, revision 1, in Beijing time, by the admin
    const row = page.locator(`tr[data-window-id="${windowId}"]`);
    await row.getByTestId('window-phase').waitFor({ timeout: 30_000 });
    expect(await row.getByTestId('window-phase').textContent()).toBe('Upcoming');
    expect(await row.getByTestId('window-revision').textContent()).toBe('1');
    expect(await row.getByTestId('window-updated-by').textContent()).toBe(ADMIN.name);
    const shown = await row.innerText();
    for (const expected of ['Baiwang', start.typed, end.typed, reason, TAX_NO])
      expect(shown).toContain(expected);

    // change: two more hours, with a note; revision 2
    await row.getByRole('button', { name: 'Change' }).click();
    const change = await dialogOpened(page, 'Change this maintenance window');
    expect(await change.getByLabel('Starts (Beijing time)').inputValue()).toBe(start.typed);
    await pickTime(page, change, 'Ends (Beijing time)', laterEnd.typed);
    await change.getByLabel('Note (why it changes)').fill('Baiwang extended the work');
    expect(
      await confirm(page, change, 'PATCH', new RegExp(`/api/reconcile/maintenance-windows/${windowId}$`)),
    ).toBe(200);
    await row.getByTestId('window-revision').getByText('2', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await row.innerText()).toContain(laterEnd.typed);

    // cancel with a reason; revision 3, cancelled, no more buttons
    await row.getByRole('button', { name: 'Cancel window' }).click();
    const cancel = await dialogOpened(page, 'Cancel this maintenance window');
    await cancel.getByLabel('Reason').fill('Baiwang called it off');
    expect(
      await confirm(
        page,
        cancel,
        'POST',
        new RegExp(`/api/reconcile/maintenance-windows/${windowId}/cancel$`),
      ),
    ).toBe(200);
    await row
      .getByTestId('window-phase')
      .getByText('Cancelled', { exact: true })
      .waitFor({ timeout: 30_000 });
    expect(await row.getByTestId('window-revision').textContent()).toBe('3');
    expect(await row.innerText()).toContain('cancelled: Baiwang called it off');
    expect(await row.getByRole('button').count()).toBe(0);

    // reconcile recorded each change under the admin's name
    const stored = await callAs(page, 'GET', `/api/reconcile/maintenance-windows/${windowId}`);
    expect(stored.body).toMatchObject({
      state: 'cancelled',
      revision: 3,
      endsAt: laterEnd.iso,
      updatedBy: { name: ADMIN.name },
    });
    const audit = await callAs(
      page,
      'GET',
      `/api/reconcile/audit?targetType=maintenance-window&targetId=${windowId}`,
    );
    expect((audit.body.items as Json[]).map((e) => [e.action, e.actor.name, e.reason]).reverse()).toEqual([
      ['maintenance.announce', ADMIN.name, null],
      ['maintenance.change', ADMIN.name, 'Baiwang extended the work'],
      ['maintenance.cancel', ADMIN.name, 'Baiwang called it off'],
    ]);
  });

  it('shows a branch clerk the windows with state and revision, without any button; reconcile refuses the clerk', async () => {
    expect(windowId).not.toBe('');
    const page = await consoleBrowser.signIn(CLERK, '/maintenance?lang=en');
    const row = page.locator(`tr[data-window-id="${windowId}"]`);
    await row.getByTestId('window-phase').waitFor({ timeout: 30_000 });
    expect(await row.getByTestId('window-phase').textContent()).toBe('Cancelled');
    expect(await row.getByTestId('window-revision').textContent()).toBe('3');
    expect(await page.getByRole('button', { name: 'Announce a window' }).count()).toBe(0);
    expect(await page.getByRole('columnheader', { name: 'Actions' }).count()).toBe(0);
    expect(await row.getByRole('button').count()).toBe(0);
    const refused = await callAs(page, 'POST', '/api/reconcile/maintenance-windows', {
      target: 'authority',
      startsAt: start.iso,
      endsAt: end.iso,
      reason: 'not mine to announce',
    });
    expect([refused.status, refused.body.error?.code]).toEqual([403, 'FORBIDDEN']);
  });
});
