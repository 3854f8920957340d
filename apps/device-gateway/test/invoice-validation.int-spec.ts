import { VALIDATION_CODE_CATALOGUE } from '@lib/contracts';
import { DeviceClient } from '@lib/device-client';
import { GatewayHarness } from './support/gateway-harness';
import { monitorBody, reportBody } from './support/invoice-fixtures';
import { INVOICE_VALIDATION_CASES } from './support/validation-cases';

jest.setTimeout(60_000);

/** Every validation code of the contracts' catalogue, reached through HTTP. */
describe('validation codes through HTTP (real PostgreSQL)', () => {
  let gw: GatewayHarness;
  let client: DeviceClient;

  beforeAll(async () => {
    gw = await GatewayHarness.start();
    client = gw.client(await gw.registerDevice());
  });

  afterAll(() => gw?.close());

  it('reports every validation code an item can meet, each at its own field', async () => {
    const codes = Object.keys(INVOICE_VALIDATION_CASES);
    const { status, body } = await client.postInvoices(codes.map((code) => INVOICE_VALIDATION_CASES[code]()));
    expect(status).toBe(200);
    const missing = codes.filter((code, index) => {
      const result = body.results[index];
      return ![...result.errors, ...(result.warnings ?? [])].some(
        (e) => e.code === code && e.field.startsWith(`invoices[${index}]`),
      );
    });
    expect(missing).toEqual([]);
    // Warning-only cases are accepted; error cases rejected.
    codes.forEach((code, index) => {
      const expected = VALIDATION_CODE_CATALOGUE[code]?.severity === 'warning' ? 'accepted' : 'rejected';
      expect({ code, status: body.results[index].status }).toEqual({ code, status: expected });
    });
  });

  it('covers the whole validation catalogue through HTTP (device-event and admin bodies for the codes invoices cannot meet)', async () => {
    const seen = new Set<string>();
    const { body } = await client.postInvoices(Object.values(INVOICE_VALIDATION_CASES).map((make) => make()));
    for (const r of body.results) for (const e of [...r.errors, ...(r.warnings ?? [])]) seen.add(e.code);
    const detailsOf = (response: { body: unknown }) =>
      (response.body as { error: { details: { code: string }[] } }).error.details;
    const monitor = await client.postMonitor(monitorBody({ offlineHoursLimit: 10_000_000 }));
    const report = await client.postReport(
      reportBody({ totals: [{ type: 'VAT_GENERAL', count: -1, amount: '0.00', taxAmount: '0.00' }] }),
    );
    const twice = { type: 'VAT_GENERAL', count: 1, amount: '1.00', taxAmount: '0.13' };
    const duplicate = await client.postReport(reportBody({ totals: [twice, twice] }));
    const taxNo = await gw.admin.registerDevice({ taxNo: 'NOT-A-TAX-NO', branchId: 'b', name: 'n' });
    for (const response of [monitor, report, duplicate, taxNo])
      for (const d of detailsOf(response)) seen.add(d.code);
    // The invoice shape rejects these before the domain rule could: a bad timestamp is INVALID_FORMAT, no line TOO_FEW_ITEMS.
    const unreachable = ['ISSUED_AT_INVALID', 'LINES_EMPTY', 'INVALID_VALUE'];
    const missing = Object.keys(VALIDATION_CODE_CATALOGUE).filter(
      (code) => !seen.has(code) && !unreachable.includes(code),
    );
    expect(missing).toEqual([]);
  });
});
