import { NUONUO_METHODS, type NuonuoInvoiceResult } from '@lib/protocols';
import { startSandbox, type RunningSandbox } from '../src/sandbox';
import { keyOf, SELLER } from './support/invoice.fixtures';
import { issuedKey, makeOrder } from './support/nuonuo.fixtures';
import { nuonuoCall, nuonuoToken } from './support/platform.clients';

describe('Nuonuo open platform', () => {
  let sandbox: RunningSandbox;
  let token: string;
  const submit = (body: object, tweak = {}) =>
    nuonuoCall<{ invoiceSerialNum: string }>(sandbox, NUONUO_METHODS.submit, token, SELLER, body, tweak);
  const query = (body: object) =>
    nuonuoCall<NuonuoInvoiceResult[]>(sandbox, NUONUO_METHODS.query, token, SELLER, body);

  beforeAll(async () => {
    sandbox = await startSandbox({
      authority: { visibilityLagMs: 1000 },
      nuonuo: { issuingMs: 3000, sealingMs: 2000, queryLagMs: 1000 },
    });
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.control.reset();
    token = (await nuonuoToken(sandbox)).body.access_token!;
  });

  it('grants at most 50 tokens per 30 days (51st → 070306), each living 24 h', async () => {
    for (let i = 2; i <= 50; i += 1) expect((await nuonuoToken(sandbox)).status).toBe(200);
    const over = await nuonuoToken(sandbox);
    expect([over.status, over.body.error]).toEqual([400, '070306']);
    expect((await query({ orderNos: ['x'] })).body.code).toBe('E9500');
    sandbox.control.advanceClock(24 * 3600_000);
    expect((await query({ orderNos: ['x'] })).body.code).toBe('E9004');
    sandbox.control.advanceClock(6 * 24 * 3600_000 + 1);
    expect((await nuonuoToken(sandbox)).body.error).toBe('070306');
    sandbox.control.advanceClock(23 * 24 * 3600_000);
    expect((await nuonuoToken(sandbox)).body.access_token).toBeDefined();
    expect(sandbox.control.state().nuonuo.tokenRequests).toBe(53);
  });

  it('verifies signature, senid, nonce and token', async () => {
    const { order } = makeOrder('SIG-1');
    const body = JSON.stringify({ order });
    expect((await submit({ order }, { tamperBody: `${body} ` })).body.code).toBe('E9002');
    expect((await submit({ order }, { secret: 'nope' })).body.code).toBe('E9002');
    expect((await submit({ order }, { senid: 'short' })).body.code).toBe('E9001');
    expect((await submit({ order }, { nonce: '1234567' })).body.code).toBe('E9001');
    expect((await nuonuoCall(sandbox, NUONUO_METHODS.submit, 'bad-token', SELLER, { order })).body.code).toBe(
      'E9003',
    );
    expect((await nuonuoCall(sandbox, 'nuonuo.Unknown', token, SELLER, { order })).body.code).toBe('E9007');
    expect(sandbox.control.state().nuonuo.signatureFailures).toBe(2);
  });

  it('issues a new invoice 20 → 21 → 2 over simulated time, numbered by Nuonuo; "not found" right after submit; relays it to the authority', async () => {
    const { order, invoice } = makeOrder('ORD-1');
    const submitted = await submit({ order });
    expect(submitted.body.code).toBe('E0000');
    const serial = submitted.body.result!.invoiceSerialNum;
    expect((await query({ serialNos: [serial] })).body.code).toBe('E9500');
    sandbox.control.advanceClock(1000);
    expect((await query({ serialNos: [serial] })).body.result![0]).toMatchObject({
      status: '20',
      invoiceNo: '',
    });
    sandbox.control.advanceClock(2000);
    expect((await query({ orderNos: ['ORD-1'] })).body.result![0].status).toBe('21');
    sandbox.control.advanceClock(2000);
    const done = (await query({ orderNos: ['ORD-1'] })).body.result![0];
    expect(done).toMatchObject({ status: '2', orderAmount: '113.00' });
    expect(done.invoiceNo).toMatch(/^\d{8}$/);
    expect(issuedKey(done)).not.toBe(keyOf(invoice)); // a new invoice, never the template's number
    expect(sandbox.control.authorityRecord(keyOf(invoice))).toBeNull();
    expect(sandbox.control.authorityRecord(issuedKey(done))).toMatchObject({ source: 'nuonuo', visible: false });
    sandbox.control.advanceClock(1000);
    expect(sandbox.control.authorityRecord(issuedKey(done))?.visible).toBe(true);
  });

  it('refuses (E4000) a blue order naming an invoice code or number: an invoice a device issued cannot be sent', async () => {
    const { order, invoice } = makeOrder('ORD-DEVICE');
    const asIssued = { ...order, invoiceCode: invoice.code ?? undefined, invoiceNum: invoice.number };
    expect((await submit({ order: asIssued })).body).toMatchObject({ code: 'E4000', describe: expect.stringContaining('invoiceNum') });
    expect((await submit({ order: { ...order, invoiceNum: invoice.number } })).body.code).toBe('E4000');
    expect(sandbox.control.authorityRecord(keyOf(invoice))).toBeNull();
    expect((await submit({ order: { ...order, orderNo: 'ORD-RED', invoiceType: '2' } })).body.code).toBe('E4000'); // red names no blue
    expect(sandbox.control.state().nuonuo.accepted).toBe(0);
  });

  it('answers E9106 for a repeated orderNo and E9613 past 20 submissions of it in a day', async () => {
    const { order } = makeOrder('ORD-DUP');
    expect((await submit({ order })).body.code).toBe('E0000');
    for (let i = 2; i <= 20; i += 1) expect((await submit({ order })).body.code).toBe('E9106');
    expect((await submit({ order })).body.code).toBe('E9613');
    const state = sandbox.control.state().nuonuo;
    expect([state.accepted, state.duplicates, state.rejected]).toEqual([1, 19, 1]);
    sandbox.control.advanceClock(24 * 3600_000);
    token = (await nuonuoToken(sandbox)).body.access_token!;
    expect((await submit({ order })).body.code).toBe('E9106');
  });

  it('rejects bad fields with E4000', async () => {
    const { order } = makeOrder('ORD-BAD');
    expect((await submit({ order: { ...order, salerTaxNum: '91110108MA01ABCD0X' } })).body.code).toBe(
      'E4000',
    );
    expect((await submit({ order: { ...order, invoiceLine: 'zz' } })).body.code).toBe('E4000');
    const badTax = { ...order, invoiceDetail: [{ ...order.invoiceDetail[0], tax: '30.00' }] };
    expect((await submit({ order: badTax })).body).toMatchObject({ code: 'E4000' });
    expect((await submit({ order: { ...order, invoiceDate: '2024/01/01' } })).body.code).toBe('E4000');
  });

  it('ends in 22 or 24 under the issue-failure fault, and never reaches the authority', async () => {
    sandbox.control.setFaults('nuonuo', { issueFailure: { orderNos: { 'ORD-22': '22', 'ORD-24': '24' } } });
    const failed = makeOrder('ORD-22');
    const sealFailed = makeOrder('ORD-24');
    await submit({ order: failed.order });
    await submit({ order: sealFailed.order });
    sandbox.control.advanceClock(3500);
    const midway = (await query({ orderNos: ['ORD-22', 'ORD-24'] })).body.result!;
    expect(midway.map((r) => r.status)).toEqual(['22', '21']);
    sandbox.control.advanceClock(2000);
    const final = (await query({ orderNos: ['ORD-22', 'ORD-24'] })).body.result!;
    expect(final.map((r) => [r.status, r.failCause !== ''])).toEqual([
      ['22', true],
      ['24', true],
    ]);
    expect(sandbox.control.state().authority.accepted).toBe(0);
  });
});
