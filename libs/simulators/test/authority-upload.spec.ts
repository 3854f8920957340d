import type { AuthorityOwnInvoice, AuthorityUploadResult } from '@lib/protocols';
import { startSandbox, type RunningSandbox } from '../src/sandbox';
import { authorityClient } from './support/authority.client';
import { eventually } from './support/http-client';
import { keyOf, makeInvoice, SELLER } from './support/invoice.fixtures';

describe('authority uploads', () => {
  let sandbox: RunningSandbox;
  let call: ReturnType<typeof authorityClient>;
  const upload = (body: unknown) =>
    call<AuthorityUploadResult>('POST', `/v1/taxpayers/${SELLER}/invoices`, body);
  const own = (key: string) => call<AuthorityOwnInvoice>('GET', `/v1/taxpayers/${SELLER}/invoices/${key}`);

  beforeAll(async () => {
    sandbox = await startSandbox({ authority: { visibilityLagMs: 300 } });
    call = authorityClient(sandbox);
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.control.reset());

  it('is idempotent on the invoice key: a resend is counted and answered with the original result', async () => {
    const invoice = makeInvoice('E_VAT_GENERAL');
    const first = await upload({ kind: 'issued', invoice });
    const second = await upload({ kind: 'issued', invoice });
    const changed = await upload({ kind: 'issued', invoice: { ...invoice, buyerName: '别的名字' } });
    expect(first.body.data).toMatchObject({ invoiceKey: keyOf(invoice), duplicate: false });
    expect(second.body.data).toMatchObject({
      uploadId: first.body.data?.uploadId,
      duplicate: true,
      sameContent: true,
      acceptedAt: first.body.data?.acceptedAt,
    });
    expect(changed.body.data).toMatchObject({ duplicate: true, sameContent: false });
    const state = sandbox.control.state().authority;
    expect([state.accepted, state.duplicates, state.store.records]).toEqual([1, 2, 1]);
  });

  it('answers get-by-key at once for our own upload, and shows visibility only after the lag', async () => {
    const invoice = makeInvoice();
    await upload({ kind: 'issued', invoice });
    const now = await own(keyOf(invoice));
    expect(now.body.data).toMatchObject({ visible: false, source: 'direct' });
    expect(sandbox.control.state().authority.store).toMatchObject({ pendingVisibility: 1, visible: 0 });
    await eventually(async () => ((await own(keyOf(invoice))).body.data?.visible ? true : undefined));
    expect(sandbox.control.state().authority.store).toMatchObject({ pendingVisibility: 0, visible: 1 });
    const missing = await own('999999999999');
    expect([missing.status, missing.body.code]).toEqual([404, '3001']);
  });

  it.each([
    ['totals', { totalAmount: '114.00' }, '2102'],
    ['lines', { amount: '90.00', totalAmount: '103.00' }, '2103'],
    [
      'line tax',
      {
        taxAmount: '20.00',
        totalAmount: '120.00',
        lines: [
          {
            name: 'x',
            taxCode: '3040201010000000000',
            amount: '100.00',
            taxRate: '0.13',
            taxAmount: '20.00',
          },
        ],
      },
      '2104',
    ],
    ['seller', { sellerTaxNo: '91110108MA01ABCD0X' }, '2105'],
    ['buyer of a special invoice', { buyerTaxNo: null }, '2106'],
    ['number format', { number: '123' }, '2101'],
    ['float money', { amount: '100.001' }, '2101'],
  ])('rejects a bad invoice (%s) with its business code', async (_name, overrides, code) => {
    const res = await upload({ kind: 'issued', invoice: makeInvoice('VAT_SPECIAL', overrides as never) });
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(code);
    expect(res.body.errors?.map((e) => e.code)).toContain(code);
    expect(sandbox.control.state().authority.rejected).toBe(1);
  });

  it('rejects malformed JSON with 400', async () => {
    const res = await call('POST', `/v1/taxpayers/${SELLER}/invoices`, undefined, { tamperBody: '' });
    expect([res.status, res.body.code]).toEqual([400, '2000']);
  });

  it('marks the original RED_REVERSED when fully reversed and refuses a red without original', async () => {
    const blue = makeInvoice('DIGITAL_SPECIAL');
    await upload({ kind: 'issued', invoice: blue });
    const red = makeInvoice('DIGITAL_SPECIAL', {
      amount: '-100.00',
      taxAmount: '-13.00',
      totalAmount: '-113.00',
      lines: [
        {
          name: 'x',
          taxCode: '3040201010000000000',
          amount: '-100.00',
          taxRate: '0.13',
          taxAmount: '-13.00',
        },
      ],
      original: { code: null, number: blue.number },
      redReason: '01',
    });
    expect((await upload({ kind: 'red-issued', invoice: red })).body.code).toBe('0000');
    expect(sandbox.control.authorityRecord(keyOf(blue))?.invoice).toMatchObject({
      status: 'RED_REVERSED',
      redReversedAmount: '-113.00',
    });
    const orphan = {
      ...red,
      number: '24350000009999999999',
      original: { code: null, number: '24350000009999999998' },
    };
    expect((await upload({ kind: 'red-issued', invoice: orphan })).body.code).toBe('2108');
    const positive = await upload({
      kind: 'red-issued',
      invoice: { ...blue, number: '24350000009999999997' },
    });
    expect(positive.body.errors?.map((e) => e.code)).toEqual(expect.arrayContaining(['2107', '2108']));
  });

  it('voids paper invoices of the current month only', async () => {
    const paper = makeInvoice('VAT_GENERAL');
    await upload({ kind: 'issued', invoice: paper });
    expect((await upload({ kind: 'voided', invoice: paper })).body.data).toMatchObject({
      duplicate: false,
      kind: 'voided',
    });
    expect((await upload({ kind: 'voided', invoice: paper })).body.data).toMatchObject({ duplicate: true });
    expect(sandbox.control.authorityRecord(keyOf(paper))?.invoice.status).toBe('VOIDED');
    const electronic = makeInvoice('E_VAT_GENERAL');
    await upload({ kind: 'issued', invoice: electronic });
    expect((await upload({ kind: 'voided', invoice: electronic })).body.code).toBe('2111');
    const lastYear = makeInvoice('VAT_GENERAL', { issuedAt: '2020-01-15T10:00:00+08:00' });
    expect((await upload({ kind: 'voided', invoice: lastYear })).body.code).toBe('2111');
  });
});
