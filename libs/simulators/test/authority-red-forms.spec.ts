import type { ClearCardView, RedFormView, WireInvoice } from '@lib/protocols';
import { startSandbox, type RunningSandbox } from '../src/sandbox';
import { authorityClient } from './support/authority.client';
import { eventually } from './support/http-client';
import { BUYER, makeInvoice, SELLER, STRANGER } from './support/invoice.fixtures';

const HOUR = 3_600_000;

describe('red-letter confirmation forms', () => {
  let sandbox: RunningSandbox;
  let call: ReturnType<typeof authorityClient>;
  const issue = async (invoice: WireInvoice): Promise<WireInvoice> => {
    await call('POST', `/v1/taxpayers/${SELLER}/invoices`, { kind: 'issued', invoice });
    return invoice;
  };
  const create = (taxNo: string, invoice: WireInvoice, amount = '-100.00', taxAmount = '-13.00') =>
    call<RedFormView>('POST', `/v1/taxpayers/${taxNo}/red-forms`, {
      original: { code: invoice.code, number: invoice.number },
      reason: '01',
      amount,
      taxAmount,
    });
  const act = (taxNo: string, formId: string, action: string) =>
    call<RedFormView>('POST', `/v1/taxpayers/${taxNo}/red-forms/${formId}/actions`, { action });
  const get = (taxNo: string, formId: string) =>
    call<RedFormView>('GET', `/v1/taxpayers/${taxNo}/red-forms/${formId}`);

  beforeAll(async () => {
    sandbox = await startSandbox({ authority: { visibilityLagMs: 0 } });
    call = authorityClient(sandbox);
  });
  afterAll(() => sandbox.close());

  it('seller enters (02), buyer confirms (04); the confirmed form authorises the red invoice', async () => {
    const blue = await issue(makeInvoice('DIGITAL_SPECIAL'));
    const created = await create(SELLER, blue);
    expect([created.status, created.body.data?.state, created.body.data?.enteredBy]).toEqual([
      201,
      '02',
      'seller',
    ]);
    const formId = created.body.data!.formId;
    expect((await act(SELLER, formId, 'confirm')).body.code).toBe('3103');
    expect((await act(BUYER, formId, 'confirm')).body.data?.state).toBe('04');
    expect((await act(BUYER, formId, 'confirm')).body.code).toBe('3104');
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
      redFormId: formId,
    });
    expect(
      (await call('POST', `/v1/taxpayers/${SELLER}/invoices`, { kind: 'red-issued', invoice: red })).body
        .code,
    ).toBe('0000');
  });

  it('covers rejection (05/06), revocation (08/09), no-confirmation (01) and party checks', async () => {
    const special = await issue(makeInvoice('VAT_SPECIAL'));
    const bySeller = (await create(SELLER, special)).body.data!;
    expect((await act(BUYER, bySeller.formId, 'reject')).body.data?.state).toBe('05');
    const byBuyer = (await create(BUYER, special)).body.data!;
    expect(byBuyer.state).toBe('03');
    expect((await act(SELLER, byBuyer.formId, 'reject')).body.data?.state).toBe('06');
    const revoked = (await create(BUYER, special)).body.data!;
    expect((await act(SELLER, revoked.formId, 'revoke')).body.code).toBe('3103');
    expect((await act(BUYER, revoked.formId, 'revoke')).body.data?.state).toBe('08');
    const confirmed = (await create(SELLER, special)).body.data!;
    await act(BUYER, confirmed.formId, 'confirm');
    expect((await act(SELLER, confirmed.formId, 'revoke')).body.data?.state).toBe('09');
    const general = await issue(makeInvoice('DIGITAL_GENERAL'));
    expect((await create(SELLER, general)).body.data?.state).toBe('01');
    expect((await create(STRANGER, special)).body.code).toBe('3103');
    expect((await create(SELLER, special, '-500.00', '-65.00')).body.code).toBe('3105');
    expect((await create(SELLER, special, '100.00', '13.00')).body.code).toBe('3102');
    expect((await get(STRANGER, confirmed.formId)).status).toBe(404);
    expect(sandbox.control.forceRedFormState(confirmed.formId, '10')?.state).toBe('10');
  });

  it('expires an unconfirmed form to 07 after 72 simulated hours (control clock)', async () => {
    const blue = await issue(makeInvoice('VAT_SPECIAL'));
    const form = (await create(SELLER, blue)).body.data!;
    sandbox.control.advanceClock(71 * HOUR);
    expect((await get(BUYER, form.formId)).body.data?.state).toBe('02');
    sandbox.control.advanceClock(HOUR);
    expect((await get(BUYER, form.formId)).body.data?.state).toBe('07');
    expect((await act(BUYER, form.formId, 'confirm')).body.code).toBe('3104');
  });

  it('expires with a scaled clock (SANDBOX_TIME_SCALE) in real seconds', async () => {
    const fast = await startSandbox({ timeScale: 1_000_000, authority: { visibilityLagMs: 0 } });
    try {
      const fastCall = authorityClient(fast);
      const blue = makeInvoice('E_VAT_SPECIAL');
      await fastCall('POST', `/v1/taxpayers/${SELLER}/invoices`, { kind: 'issued', invoice: blue });
      const form = (
        await fastCall<RedFormView>('POST', `/v1/taxpayers/${BUYER}/red-forms`, {
          original: { code: blue.code, number: blue.number },
          reason: '02',
          amount: '-10.00',
          taxAmount: '-1.30',
        })
      ).body.data!;
      expect(form.state).toBe('03');
      const expired = await eventually(async () => {
        const state = (await fastCall<RedFormView>('GET', `/v1/taxpayers/${SELLER}/red-forms/${form.formId}`))
          .body.data?.state;
        return state === '07' ? state : undefined;
      }, 3000);
      expect(expired).toBe('07');
    } finally {
      await fast.close();
    }
  });

  it('reports device clear-card status, seedable through control', async () => {
    const path = `/v1/taxpayers/${SELLER}/devices/661234567890/clear-card?period=2024-05`;
    expect((await call<ClearCardView>('GET', path)).body.data?.status).toBe('NOT_CLEARED');
    sandbox.control.setClearCard({
      taxNo: SELLER,
      deviceNo: '661234567890',
      period: '2024-05',
      status: 'CLEARED',
      clearedAt: '2024-06-03T09:00:00+08:00',
    });
    expect((await call<ClearCardView>('GET', path)).body.data).toMatchObject({
      status: 'CLEARED',
      clearedAt: '2024-06-03T09:00:00+08:00',
    });
    expect((await call('GET', `/v1/taxpayers/${SELLER}/devices/661234567890/clear-card`)).status).toBe(400);
  });
});
