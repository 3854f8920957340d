import {
  FPLX_BY_TYPE,
  WIRE_INVOICE_TYPES,
  type AuthorityVerifyResult,
  type WireInvoice,
  type WireInvoiceType,
} from '@lib/protocols';
import { startSandbox, type RunningSandbox } from '../src/sandbox';
import { authorityClient } from './support/authority.client';
import { BUYER, kprqOf, makeInvoice, SELLER, STRANGER } from './support/invoice.fixtures';

/** The 查验 inputs an honest caller would send for this invoice. */
function inputsFor(invoice: WireInvoice): Record<string, string> {
  const digital = invoice.type.startsWith('DIGITAL');
  const special = invoice.type.includes('SPECIAL');
  return {
    fplx: FPLX_BY_TYPE[invoice.type],
    fpdm: invoice.code ?? '',
    fphm: invoice.number,
    kprq: kprqOf(invoice),
    ...(digital
      ? { kpje: invoice.totalAmount }
      : special
        ? { kpje: invoice.amount }
        : { jym: invoice.checkCode!.slice(-6) }),
  };
}

describe('authority 查验 (verification)', () => {
  let sandbox: RunningSandbox;
  let call: ReturnType<typeof authorityClient>;
  const verify = async (taxNo: string, inputs: Record<string, string>) =>
    (await call<AuthorityVerifyResult>('POST', `/v1/taxpayers/${taxNo}/verifications`, inputs)).body.data!;
  const issue = async (type: WireInvoiceType): Promise<WireInvoice> => {
    const invoice = makeInvoice(type);
    await call('POST', `/v1/taxpayers/${SELLER}/invoices`, { kind: 'issued', invoice });
    return invoice;
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ authority: { visibilityLagMs: 0, dailyQueryQuota: 5 } });
    call = authorityClient(sandbox);
  });
  afterAll(() => sandbox.close());

  it.each(WIRE_INVOICE_TYPES)(
    '%s: 00 for seller and buyer, 03 on a mismatch, 04 for a stranger, 02 unknown',
    async (type) => {
      const invoice = await issue(type);
      const good = inputsFor(invoice);
      const ok = await verify(SELLER, good);
      expect(ok.returncode).toBe('00');
      expect(ok.invoice).toMatchObject({
        invoiceKey: `${invoice.code ?? ''}${invoice.number}`,
        status: 'NORMAL',
        totalAmount: '113.00',
      });
      expect((await verify(BUYER, good)).returncode).toBe('00');
      const wrongAmount = good.kpje ? { ...good, kpje: '100.01' } : { ...good, jym: '000000' };
      expect((await verify(SELLER, wrongAmount)).returncode).toBe('03');
      expect((await verify(SELLER, { ...good, kprq: '20200101' })).returncode).toBe('03');
      expect((await verify(STRANGER, good)).returncode).toBe('04');
      const unknownNumber = type.startsWith('DIGITAL') ? '24350000009999999999' : '99999999';
      expect((await verify(SELLER, { ...good, fphm: unknownNumber })).returncode).toBe('02');
    },
  );

  it('answers 03 when the amount given is the wrong one for the type (total instead of excl. tax)', async () => {
    const special = await issue('VAT_SPECIAL');
    expect((await verify(SELLER, { ...inputsFor(special), kpje: special.totalAmount })).returncode).toBe(
      '03',
    );
    const digital = await issue('DIGITAL_GENERAL');
    expect((await verify(SELLER, { ...inputsFor(digital), kpje: digital.amount })).returncode).toBe('03');
  });

  it('answers 01 for malformed inputs', async () => {
    const general = inputsFor(makeInvoice('VAT_GENERAL'));
    expect((await verify(SELLER, { ...general, fplx: '99' })).returncode).toBe('01');
    expect((await verify(SELLER, { ...general, jym: '' })).returncode).toBe('01');
    expect((await verify(SELLER, { ...general, kprq: '2024-01-01' })).returncode).toBe('01');
    expect((await verify(SELLER, { ...general, fpdm: '123' })).returncode).toBe('01');
    const digital = inputsFor(makeInvoice('DIGITAL_SPECIAL'));
    expect((await verify(SELLER, { ...digital, fpdm: '035002300111' })).returncode).toBe('01');
    expect((await verify(SELLER, { ...digital, kpje: '1.234' })).returncode).toBe('01');
  });

  it('enforces the per-invoice daily quota (05) and lets another invoice through', async () => {
    const invoice = await issue('E_VAT_SPECIAL');
    for (let i = 0; i < 5; i += 1) expect((await verify(SELLER, inputsFor(invoice))).returncode).toBe('00');
    const over = await verify(SELLER, inputsFor(invoice));
    expect(over.returncode).toBe('05');
    expect(over.returnmsg).toContain('查验次数');
    expect((await verify(BUYER, inputsFor(invoice))).returncode).toBe('05');
    expect((await verify(SELLER, inputsFor(await issue('E_VAT_SPECIAL')))).returncode).toBe('00');
    sandbox.control.advanceClock(24 * 3600 * 1000);
    expect((await verify(SELLER, inputsFor(invoice))).returncode).toBe('00');
  });

  it('does not show uploads before the visibility lag (02 until visible)', async () => {
    sandbox.control.settings.authority.visibilityLagMs = 60_000;
    try {
      const invoice = await issue('VAT_SPECIAL');
      expect((await verify(SELLER, inputsFor(invoice))).returncode).toBe('02');
      sandbox.control.advanceClock(60_000);
      expect((await verify(SELLER, inputsFor(invoice))).returncode).toBe('00');
    } finally {
      sandbox.control.settings.authority.visibilityLagMs = 0;
    }
  });
});
