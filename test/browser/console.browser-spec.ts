// The finance console as people use it: a real Chromium (Debian's, driven by playwright-core) signs in at the sandbox's
// IdP through its login form, as each role, against the whole system (sandbox, four services, console) in processes.
// Findings are planted in reconcile's tables, since this suite is about what people see and may do, not about how
// findings arise (the e2e and sweep suites cover that); every action goes through the console and the services.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { pollUntil, REPO_ROOT, testDatabaseUrl } from '@lib/testing';
import { withUsccCheckDigit } from '@lib/domain';
import type { SystemHarness } from '../system/system-harness';
import { callAs, ConsoleBrowser } from './console-browser';

jest.setTimeout(300_000);

const TAX_NO = '91440300MA5TEST01X';
/** The taxpayer of the devices registered here (the gateway checks the USCC's check digit). */
const DEVICE_TAX_NO = withUsccCheckDigit('91440300MA5G2K8N1');
const MINE = ['sz-futian-01', 'sz-baoan-02'];
const OTHERS = ['bj-chaoyang-01'];
const PEOPLE = {
  clerk: { username: 'clerk-sz', password: 'demo-clerk-sz-pass', name: '李会计（深圳）' },
  manager: { username: 'manager', password: 'demo-manager-pass', name: '王财务经理' },
  auditor: { username: 'auditor', password: 'demo-auditor-pass', name: '赵审计' },
  admin: { username: 'admin', password: 'demo-admin-pass', name: '系统管理员' },
} as const;
type Person = keyof typeof PEOPLE;
/** Where screenshots of each page go when CONSOLE_SCREENSHOTS=1 (docs/console.md shows them). */
const SHOTS = process.env.CONSOLE_SCREENSHOTS === '1' ? join(REPO_ROOT, 'docs/console') : null;

interface Planted {
  id: string;
  branchId: string;
  number: string;
}

describe('the finance console in a browser', () => {
  const consoleBrowser = new ConsoleBrowser('browser');
  let system: SystemHarness;
  const planted: Planted[] = [];

  beforeAll(async () => {
    await consoleBrowser.start();
    system = consoleBrowser.system;
    await plantFindings(system.schemaOf('reconcile'), planted);
  });
  afterAll(() => consoleBrowser.stop());
  // What the browser showed when a test failed (its context is still open then), beside the services' logs.
  afterEach(() => consoleBrowser.closePages());

  async function signIn(
    person: Person,
    path = '/findings?lang=en',
  ): Promise<{ context: BrowserContext; page: Page }> {
    const page = await consoleBrowser.signIn(PEOPLE[person], path, {
      viewport: { width: 1440, height: 900 },
    });
    return { context: page.context(), page };
  }

  async function totalShown(page: Page): Promise<number> {
    const total = page.getByText(/^Total \d+$/);
    await expectVisible(total);
    return Number(/\d+/.exec((await total.textContent()) ?? '')![0]);
  }

  const expectVisible = (locator: Locator) => consoleBrowser.visible(locator);

  async function shot(page: Page, name: string): Promise<void> {
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  it('keeps a wrong password on the login page with an alert', async () => {
    const page = await consoleBrowser.newPage();
    const context = page.context();
    await page.goto(`${system.consoleUrl}/findings?lang=en`);
    await page.getByLabel('Username').fill('clerk-sz');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(page.getByRole('alert'));
    await expectVisible(page.getByLabel('Password'));
    expect(new URL(page.url()).origin).not.toBe(system.consoleUrl);
    await context.close();
  });

  it("shows a clerk their branches' findings only, on the page and through the API", async () => {
    const { context, page } = await signIn('clerk');
    const mine = planted.filter((p) => MINE.includes(p.branchId));
    for (const name of [
      'Overview',
      'Findings',
      'Invoices',
      'Devices',
      'Deliveries',
      'Reconciliations',
      'Notifications',
      'Audit log',
    ]) {
      expect(await page.getByRole('link', { name, exact: true }).first().getAttribute('href')).toMatch(/^\//);
    }
    for (const header of ['Type', 'State', 'Severity', 'Branch', 'Period', 'Invoice', 'Explanation']) {
      await expectVisible(page.getByRole('columnheader', { name: header, exact: true }));
    }
    expect(await totalShown(page)).toBe(mine.length);
    const branchesOnScreen = await page.locator('tbody tr td').allTextContents();
    for (const other of OTHERS) expect(branchesOnScreen.join(' ')).not.toContain(other);
    await shot(page, 'findings');

    // The service itself refuses: the same 404 for another branch's finding as for an unknown one.
    const foreign = planted.find((p) => OTHERS.includes(p.branchId))!;
    const answers = await page.evaluate(
      async ([foreignId, unknownId, branch]) => {
        const get = async (path: string) => {
          const response = await fetch(path);
          return {
            status: response.status,
            body: (await response.json()) as { code?: string; total?: number },
          };
        };
        return {
          foreign: await get(`/api/reconcile/findings/${foreignId}`),
          unknown: await get(`/api/reconcile/findings/${unknownId}`),
          filtered: await get(`/api/reconcile/findings?branchId=${branch}`),
        };
      },
      [foreign.id, randomUUID(), OTHERS[0]] as const,
    );
    expect(answers.foreign.status).toBe(404);
    expect(answers.foreign.body.code).toBe(answers.unknown.body.code);
    expect(answers.filtered.body.total).toBe(0);

    await page.goto(`${system.consoleUrl}/findings/${foreign.id}?lang=en`);
    await expectVisible(page.getByText('Finding not found'));
    await context.close();
  });

  it('speaks Simplified Chinese by default, at the IdP and in the console', async () => {
    const page = await consoleBrowser.newPage({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const context = page.context();
    await page.goto(`${system.consoleUrl}/findings`);
    await page.getByLabel('用户名').fill(PEOPLE.clerk.username);
    await page.getByLabel('密码').fill(PEOPLE.clerk.password);
    await page.getByRole('button', { name: '登录' }).click();
    const mine = planted.filter((p) => MINE.includes(p.branchId)).length;
    await expectVisible(page.getByText(`共 ${mine} 条`));
    for (const name of ['总览', '发现', '发票', '设备', '审计日志']) {
      await expectVisible(page.getByRole('link', { name, exact: true }));
    }
    await context.close();
  });

  it('lets an auditor read and export but not act', async () => {
    const { context, page } = await signIn('auditor');
    expect(await totalShown(page)).toBe(planted.length);
    const target = planted[0];
    await page.goto(`${system.consoleUrl}/findings/${target.id}?lang=en`);
    await expectVisible(page.getByText(target.number).first());
    for (const action of ['Retry', 'Resolve', 'Ignore']) {
      expect(await page.getByRole('button', { name: action, exact: true }).count()).toBe(0);
    }
    const status = await page.evaluate(async (id) => {
      const me = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const response = await fetch(`/api/reconcile/findings/${id}/actions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ action: 'ignore', reason: 'auditors may not' }),
      });
      return {
        status: response.status,
        code: ((await response.json()) as { error: { code: string } }).error.code,
      };
    }, target.id);
    expect(status).toEqual({ status: 403, code: 'FORBIDDEN' });
    await context.close();
  });

  it("records the manager's bulk ignore under their name, in the history and the audit log", async () => {
    const { context, page } = await signIn('manager', `/findings?lang=en&branchId=${OTHERS[0]}`);
    const targets = planted.filter((p) => p.branchId === OTHERS[0]);
    expect(await totalShown(page)).toBe(targets.length);
    await page.locator('thead input[type=checkbox]').check();
    await page.getByRole('button', { name: 'Ignore', exact: true }).click();
    await page.getByLabel('Reason').fill('duplicate of a paper invoice already booked');
    await page.getByRole('button', { name: 'OK', exact: true }).click();
    // The table reloads once every action has answered.
    await pollUntil(
      () => page.locator('tbody tr').filter({ hasText: 'ignored' }).count(),
      (n) => n === targets.length,
      { timeoutMs: 30_000, intervalMs: 250, what: 'the ignored findings on the page' },
    );
    await page.goto(`${system.consoleUrl}/findings/${targets[0].id}?lang=en`);
    const history = page.locator('table').filter({ hasText: 'duplicate of a paper invoice already booked' });
    await expectVisible(history);
    await expectVisible(history.getByText(PEOPLE.manager.name));
    await shot(page, 'finding-detail');

    await page.goto(`${system.consoleUrl}/audit?lang=en`);
    const firstRow = page.locator('tbody tr').first();
    await expectVisible(firstRow.getByText(PEOPLE.manager.name));
    expect(await page.locator('tbody tr').filter({ hasText: 'finding.ignore' }).count()).toBe(targets.length);
    await shot(page, 'audit');
    await context.close();
  });

  it('exports the rows on screen to Excel, headers in the page language', async () => {
    const { context, page } = await signIn('clerk');
    const total = await totalShown(page);
    await expectVisible(page.locator('tbody tr td').getByText('MISSING_IN_AUTHORITY'));
    const onScreen = await page.locator('tbody tr').filter({ hasText: 'MISSING_IN_AUTHORITY' }).count();
    expect(onScreen).toBe(total);
    await page.getByRole('button', { name: /Export/ }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Excel' }).click(),
    ]);
    const path = await download.path();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1, 8);
    expect(header).toEqual(['Type', 'State', 'Severity', 'Branch', 'Period', 'Invoice', 'Explanation']);
    expect(sheet.actualRowCount - 1).toBe(onScreen);
    const branches = new Set<string>();
    sheet.eachRow((row, n) => n > 1 && branches.add(String(row.getCell(4).value)));
    expect([...branches].sort()).toEqual(
      [...new Set(planted.filter((p) => MINE.includes(p.branchId)).map((p) => p.branchId))].sort(),
    );
    await context.close();
  });

  it('signs out at the console and the IdP: the password is asked again', async () => {
    const { context, page } = await signIn('clerk');
    await page.getByRole('button', { name: 'Sign out' }).click();
    // The IdP ends its session and sends the browser back to the console, which has no session either: the IdP's form.
    await expectVisible(page.getByLabel('Password'));
    expect(page.url().startsWith(system.idpIssuer)).toBe(true);
    await page.goto(`${system.consoleUrl}/findings?lang=en`);
    await expectVisible(page.getByLabel('Password'));
    const me = await page.request.get(`${system.consoleUrl}/api/me`);
    expect(me.status()).toBe(401);
    await context.close();
  });

  it('shows every page to an admin (screenshots for docs/console.md when CONSOLE_SCREENSHOTS=1)', async () => {
    const { context, page } = await signIn('admin', '/?lang=en');
    for (const [path, name] of [
      ['/', 'overview'],
      ['/invoices', 'invoices'],
      ['/devices', 'devices'],
      ['/deliveries', 'deliveries'],
      ['/reconciliations', 'reconciliations'],
      ['/notifications', 'notifications'],
    ] as const) {
      await page.goto(`${system.consoleUrl}${path}?lang=en`);
      await expectVisible(page.getByRole('link', { name: 'Overview', exact: true }).first());
      await shot(page, name);
    }
    await expectVisible(page.getByText(PEOPLE.admin.name));
    // Devices are an admin's to register; a clerk does not get the button.
    await page.goto(`${system.consoleUrl}/devices?lang=en`);
    await expectVisible(page.getByRole('button', { name: /Register device/ }));
    await context.close();
    const clerk = await signIn('clerk', '/devices?lang=en');
    await expectVisible(clerk.page.getByRole('link', { name: 'Devices', exact: true }));
    await clerk.page.waitForLoadState('networkidle');
    expect(await clerk.page.getByRole('button', { name: /Register device/ }).count()).toBe(0);
    await clerk.context.close();
  });

  /** A device registered through the console by the signed-in admin, in one of the clerk's branches. */
  async function registerDevice(page: Page, name: string, deviceNo?: string): Promise<string> {
    const answer = await callAs(page, 'POST', '/api/gateway/admin/devices', {
      taxNo: DEVICE_TAX_NO,
      branchId: MINE[0],
      name,
      ...(deviceNo ? { deviceNo } : {}),
    });
    expect(answer).toMatchObject({ status: 201 });
    return String(answer.body.deviceId);
  }

  /** Answers the Reason of the dialog named `title` with `reason`, confirms it with OK, and waits for it to close. */
  async function giveReason(page: Page, title: string, reason: string): Promise<void> {
    const dialog = page.getByRole('dialog', { name: title });
    await expectVisible(dialog);
    const field = dialog.getByLabel('Reason');
    await field.fill(reason);
    expect(await field.inputValue()).toBe(reason);
    await confirm(page, dialog);
  }

  /**
   * Presses the dialog's OK once it has finished opening and waits for it to close. A press that sent nothing within
   * 5 s is repeated, as a person would press again (seen on a loaded CI machine: the first press of a dialog just
   * opened went nowhere); a press that sent its request is never repeated. A dialog that stays open says what it shows.
   */
  async function confirm(page: Page, dialog: ReturnType<Page['getByRole']>): Promise<void> {
    await page
      .locator('.ant-modal.ant-zoom-enter, .ant-modal.ant-zoom-appear')
      .first()
      .waitFor({ state: 'detached' });
    for (let press = 1; ; press++) {
      const sent = page
        .waitForRequest((r) => r.method() !== 'GET' && new URL(r.url()).pathname.startsWith('/api/'), {
          timeout: 5_000,
        })
        .then(
          () => true,
          () => false,
        );
      await dialog.getByRole('button', { name: 'OK', exact: true }).click();
      if (await sent) break;
      if (press === 3) break;
    }
    try {
      await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
    } catch (error) {
      const shown = await dialog.innerText().catch(() => '(gone)');
      throw new Error(`the dialog stayed open with: ${shown}`, { cause: error });
    }
  }

  it('lets an admin suspend and enable a device with a reason, recorded under their name; a clerk gets no such buttons', async () => {
    const { context, page } = await signIn('admin', '/devices?lang=en');
    const name = `收银台 ${randomUUID().slice(0, 8)}`;
    const deviceId = await registerDevice(page, name);
    await page.goto(`${system.consoleUrl}/devices/${deviceId}?lang=en`);
    const status = page.getByTestId('device-status');
    await expectVisible(status.getByText('Active', { exact: true }));

    await page.getByRole('button', { name: 'Suspend', exact: true }).click();
    await giveReason(page, 'Suspend this device', 'till moved to the new counter');
    await expectVisible(status.getByText('Suspended', { exact: true }));
    const history = page.getByTestId('device-history');
    const suspended = history.locator('tbody tr').filter({ hasText: 'till moved to the new counter' });
    await expectVisible(suspended);
    await expectVisible(suspended.getByText(PEOPLE.admin.name));
    await expectVisible(suspended.getByText('Suspended'));
    // Suspended: Enable is the way back, Suspend is not offered again.
    expect(await page.getByRole('button', { name: 'Suspend', exact: true }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Enable', exact: true }).click();
    await giveReason(page, 'Enable this device again', 'counter ready again');
    await expectVisible(status.getByText('Active', { exact: true }));
    const enabled = history.locator('tbody tr').filter({ hasText: 'counter ready again' });
    await expectVisible(enabled.getByText(PEOPLE.admin.name));
    await expectVisible(enabled.getByText('Enabled'));
    // Newest first: the enabling above the suspension.
    const reasons = await history.locator('tbody tr').allTextContents();
    const at = (text: string) => reasons.findIndex((row) => row.includes(text));
    expect(at('counter ready again')).toBeLessThan(at('till moved to the new counter'));
    await shot(page, 'device-detail');
    await context.close();

    // The same device in the clerk's own branch: they read its status and history, and may not change it.
    const clerk = await signIn('clerk', `/devices/${deviceId}?lang=en`);
    await expectVisible(clerk.page.getByTestId('device-status').getByText('Active', { exact: true }));
    await expectVisible(clerk.page.getByTestId('device-history').getByText('counter ready again'));
    await clerk.page.waitForLoadState('networkidle');
    for (const action of ['Suspend', 'Enable', 'Retire', 'Rotate secret', 'Start reset']) {
      expect(await clerk.page.getByRole('button', { name: action, exact: true }).count()).toBe(0);
    }
    await clerk.context.close();
  });

  it('walks an admin through a reset: started with a reason, the backup downloaded, the device suspended, the new secret shown once', async () => {
    const { context, page } = await signIn('admin', '/devices?lang=en');
    const deviceId = await registerDevice(page, `前台 ${randomUUID().slice(0, 8)}`);
    await page.goto(`${system.consoleUrl}/devices/${deviceId}?lang=en`);
    const reset = page.getByTestId('device-reset');
    await expectVisible(reset.getByText('This device has not been reset.'));

    await reset.getByRole('button', { name: 'Start reset', exact: true }).click();
    const start = page.getByRole('dialog', { name: 'Start reset' });
    await expectVisible(start);
    await start.getByLabel('Rotate: the same device gets a new secret').check();
    await start.getByLabel('Reason').fill('the tax disk was re-issued');
    await confirm(page, start);
    await expectVisible(reset.getByText('In progress · Backup'));
    await expectVisible(reset.getByText('the tax disk was re-issued'));

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      reset.getByRole('button', { name: 'Download backup (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^device-reset-.*-backup\.csv$/);
    const csv = readFileSync(await download.path());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    await expectVisible(page.getByTestId('reset-step-backup').getByText(PEOPLE.admin.name));
    await expectVisible(reset.getByText('In progress · Suspend'));

    await reset.getByRole('button', { name: 'Suspend the device' }).click();
    await expectVisible(page.getByTestId('reset-step-suspend').getByText(PEOPLE.admin.name));
    await expectVisible(page.getByTestId('device-status').getByText('Suspended', { exact: true }));
    await expectVisible(
      page
        .getByTestId('device-history')
        .locator('tbody tr')
        .filter({ hasText: 'Suspended' })
        .getByText(PEOPLE.admin.name),
    );

    // The new secret appears once, with its warning and a copy button; closing the dialog forgets it.
    await reset.getByRole('button', { name: 'Issue the new secret' }).click();
    const secret = page.getByRole('dialog', { name: 'New device secret' });
    await expectVisible(secret.getByText('This secret is shown only once'));
    expect((await secret.getByTestId('device-secret').textContent())?.length).toBeGreaterThan(20);
    expect(await secret.getByRole('button', { name: /copy/i }).count()).toBeGreaterThan(0);
    await secret.getByRole('button', { name: 'OK', exact: true }).click();
    // gone from the page, not only hidden
    await page.getByTestId('device-secret').waitFor({ state: 'detached', timeout: 30_000 });
    await expectVisible(page.getByTestId('reset-step-rekey').getByText(PEOPLE.admin.name));

    await reset.getByRole('button', { name: 'Cancel reset', exact: true }).click();
    await giveReason(page, 'Cancel this reset', 'finished by hand at the counter');
    await expectVisible(reset.getByText('Cancelled: finished by hand at the counter'));
    await shot(page, 'device-reset');
    await context.close();
  });

  it("shows a hosted device's remote 抄报 / 清卡 and lets an admin switch it off and on with a reason", async () => {
    const { context, page } = await signIn('admin', '/devices?lang=en');
    const deviceNo = `BW${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
    const deviceId = await registerDevice(page, `托管 ${deviceNo}`, deviceNo);
    expect(
      await callAs(page, 'PUT', `/api/gateway/admin/devices/${deviceId}/hosting`, { hostedOn: 'baiwang' }),
    ).toMatchObject({ status: 200, body: { hostedOn: 'baiwang' } });
    const panel = page.locator('.ant-card').filter({ hasText: 'Remote 抄报 / 清卡, period' });
    // Sync learns of the hosting from the gateway's device.changed: until then the device is not listed.
    await pollUntil(
      async () => {
        await page.goto(`${system.consoleUrl}/devices/${deviceId}?lang=en`);
        await expectVisible(panel.getByTestId('remote-op-state'));
        return (await panel.getByTestId('remote-op-state').textContent()) ?? '';
      },
      (state) => state !== 'Not started',
      { timeoutMs: 60_000, intervalMs: 1_000, what: 'sync listing the hosted device' },
    );
    await expectVisible(page.getByText('Baiwang').first());
    await expectVisible(panel.getByText('What to do'));

    const toggle = panel.getByRole('switch', { name: 'Remote operations for this device' });
    expect(await toggle.isChecked()).toBe(true);
    await toggle.click();
    await giveReason(
      page,
      "Switch this device's remote 抄报 / 清卡 off",
      'the platform contract is being renewed',
    );
    await expectVisible(panel.getByTestId('remote-op-state').getByText('Switched off', { exact: true }));
    expect(await toggle.isChecked()).toBe(false);
    expect(await panel.getByRole('button', { name: 'Retry now' }).isDisabled()).toBe(true);

    await toggle.click();
    await giveReason(page, "Switch this device's remote 抄报 / 清卡 on", 'contract renewed');
    expect(await toggle.isChecked()).toBe(true);
    await pollUntil(
      async () => (await panel.getByTestId('remote-op-state').textContent()) ?? '',
      (state) => state !== 'Switched off',
      { timeoutMs: 30_000, intervalMs: 250, what: 'the remote operations on again' },
    );
    // The list shows the same: hosted on Baiwang, with the period's state.
    await page.goto(`${system.consoleUrl}/devices?lang=en`);
    const row = page.locator('tbody tr').filter({ hasText: deviceNo });
    await expectVisible(row.getByText('Baiwang'));
    await expectVisible(row.getByTestId('remote-op-state'));
    expect(await row.getByTestId('remote-op-state').textContent()).not.toBe('Not started');
    await context.close();
  });
});

/** Three findings in each of the clerk's two branches and three in another city's. */
async function plantFindings(schema: string, planted: Planted[]): Promise<void> {
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    let n = 0;
    for (const branchId of [...MINE, ...OTHERS]) {
      for (let i = 0; i < 3; i++) {
        n += 1;
        const id = randomUUID();
        const number = String(24_440_000_000_000_000_000n + BigInt(n));
        const at = new Date(Date.UTC(2026, 10, 3, 2, n));
        await client.query(
          `INSERT INTO ${schema}.findings (id, tax_no, period, type, subject, state, severity, branch_id, device_id, invoice_key,
             invoice_type, invoice_code, invoice_number, explanation, evidence, created_at, updated_at)
           VALUES ($1, $2, '2026-10', 'MISSING_IN_AUTHORITY', $3, 'open', 'critical', $4, $5, $3, 'E_VAT_NORMAL', NULL, $3,
             $6, $7, $8, $8)`,
          [
            id,
            TAX_NO,
            number,
            branchId,
            `dev-${branchId}`,
            `Invoice ${number} is in the ledger but not at the authority.`,
            JSON.stringify({ ledger: { amount: '100.00', taxAmount: '6.00' } }),
            at,
          ],
        );
        await client.query(
          `INSERT INTO ${schema}.finding_history (finding_id, from_state, to_state, action, actor, actor_kind, actor_name, reason, at)
           VALUES ($1, NULL, 'open', 'detected', 'reconcile', 'service', 'reconcile', NULL, $2)`,
          [id, at],
        );
        planted.push({ id, branchId, number });
      }
    }
  } finally {
    await client.end();
  }
}
