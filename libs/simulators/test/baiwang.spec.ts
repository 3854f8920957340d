import {
  BAIWANG_METHODS,
  FPLX_BY_TYPE,
  type BaiwangQueryResponse,
  type BaiwangUploadResponse,
} from '@lib/protocols';
import { startSandbox, type RunningSandbox } from '../src/sandbox';
import { send } from './support/http-client';
import { keyOf, kprqOf, makeInvoice, SELLER, STRANGER } from './support/invoice.fixtures';
import { authorityClient } from './support/authority.client';
import { baiwangCall, baiwangToken } from './support/platform.clients';

describe('Baiwang gateway', () => {
  let sandbox: RunningSandbox;
  let token: string;
  const upload = (body: unknown, tweak = {}) =>
    baiwangCall<BaiwangUploadResponse>(sandbox, BAIWANG_METHODS.upload, token, body as object, tweak);

  beforeAll(async () => {
    sandbox = await startSandbox({ authority: { visibilityLagMs: 60_000 } });
    token = (await baiwangToken(sandbox)).body.response!.access_token;
  });
  afterAll(() => sandbox.close());

  it('issues tokens by password grant, rotates them by refresh grant and rejects bad credentials', async () => {
    const first = (await baiwangToken(sandbox)).body.response!;
    expect(first).toMatchObject({ token_type: 'bearer', expires_in: 7200 });
    const refreshed = await baiwangToken(sandbox, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
    });
    expect(refreshed.body.success).toBe(true);
    expect(refreshed.body.response!.access_token).not.toBe(first.access_token);
    const reused = await baiwangToken(sandbox, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
    });
    expect(reused.body.errorResponse?.code).toBe('100011');
    expect((await baiwangToken(sandbox, { password: 'wrong' })).body.errorResponse?.code).toBe('100010');
    const call = await baiwangCall(sandbox, BAIWANG_METHODS.query, refreshed.body.response!.access_token, {
      taxNo: SELLER,
      serialNo: 'none',
    });
    expect(call.body.errorResponse?.code).toBe('200002');
  });

  it('verifies the signature over the exact body, the secret, timestamp and token', async () => {
    const body = { taxNo: SELLER, serialNo: 'SIG-1', invoice: makeInvoice() };
    const before = sandbox.control.state().baiwang.signatureFailures;
    const tampered = await upload(body, { tamperBody: JSON.stringify(body, null, 1) });
    expect([tampered.status, tampered.body.success, tampered.body.errorResponse?.code]).toEqual([
      200,
      false,
      '100005',
    ]);
    expect((await upload(body, { secret: 'wrong-secret' })).body.errorResponse?.code).toBe('100005');
    expect(sandbox.control.state().baiwang.signatureFailures).toBe(before + 2);
    expect((await upload(body, { timestamp: Date.now() - 3_600_000 })).body.errorResponse?.code).toBe(
      '100004',
    );
    expect(
      (await baiwangCall(sandbox, BAIWANG_METHODS.upload, 'not-a-token', body)).body.errorResponse?.code,
    ).toBe('100006');
    expect((await baiwangCall(sandbox, 'baiwang.output.nothing', token, body)).body.errorResponse?.code).toBe(
      '100008',
    );
    const bare = await send<{ errorResponse: { code: string } }>(
      'POST',
      `${sandbox.urls.baiwang}/router/rest?method=${BAIWANG_METHODS.upload}`,
      { body: '{}' },
    );
    expect(bare.body.errorResponse.code).toBe('100002');
    const foreignKey = await send<{ errorResponse: { code: string } }>(
      'POST',
      `${sandbox.urls.baiwang}/router/rest?method=m&appKey=ghost&token=t&timestamp=${Date.now()}&sign=X`,
      { body: '{}' },
    );
    expect(foreignKey.body.errorResponse.code).toBe('100003');
    expect(sandbox.control.authorityRecord(keyOf(body.invoice))).toBeNull();
  });

  it('answers TOKEN_EXPIRED once the token outlives its TTL (simulated clock)', async () => {
    const short = (await baiwangToken(sandbox)).body.response!.access_token;
    sandbox.control.advanceClock(7200 * 1000);
    const res = await baiwangCall(sandbox, BAIWANG_METHODS.query, short, { taxNo: SELLER, serialNo: 'x' });
    expect(res.body.errorResponse).toMatchObject({ code: '100007' });
    token = (await baiwangToken(sandbox)).body.response!.access_token;
  });

  it('uploads idempotently on serialNo and invoice key, relaying to the authority with its visibility', async () => {
    const invoice = makeInvoice('E_VAT_SPECIAL');
    const first = await upload({ taxNo: SELLER, serialNo: 'BW-0001', invoice });
    expect(first.body).toMatchObject({
      success: true,
      response: { serialNo: 'BW-0001', invoiceKey: keyOf(invoice), duplicate: false },
    });
    expect((await upload({ taxNo: SELLER, serialNo: 'BW-0001', invoice })).body.response).toMatchObject({
      duplicate: true,
    });
    expect((await upload({ taxNo: SELLER, serialNo: 'BW-0002', invoice })).body.response).toMatchObject({
      duplicate: true,
      serialNo: 'BW-0001',
    });
    expect(
      (await upload({ taxNo: SELLER, serialNo: 'BW-0001', invoice: makeInvoice() })).body.errorResponse?.code,
    ).toBe('200003');
    const bad = await upload({
      taxNo: SELLER,
      serialNo: 'BW-0003',
      invoice: makeInvoice('VAT_SPECIAL', { totalAmount: '1.00' }),
    });
    expect(bad.body.errorResponse).toMatchObject({ code: '200001', subCode: '2102' });
    expect(sandbox.control.authorityRecord(keyOf(invoice))).toMatchObject({
      source: 'baiwang',
      visible: false,
    });
    const state = sandbox.control.state();
    expect([state.baiwang.accepted, state.baiwang.duplicates, state.baiwang.rejected]).toEqual([1, 2, 2]);

    const query = (body: object) =>
      baiwangCall<BaiwangQueryResponse>(sandbox, BAIWANG_METHODS.query, token, body);
    expect((await query({ taxNo: SELLER, serialNo: 'BW-0001' })).body.response).toMatchObject({
      authorityStatus: 'PENDING',
    });
    sandbox.control.advanceClock(60_000);
    expect((await query({ taxNo: SELLER, invoiceKey: keyOf(invoice) })).body.response).toMatchObject({
      serialNo: 'BW-0001',
      authorityStatus: 'VISIBLE',
      invoiceStatus: 'NORMAL',
    });
  });

  it('validates (查验) through the authority data with its own channel', async () => {
    const invoice = makeInvoice('VAT_SPECIAL');
    await upload({ taxNo: SELLER, serialNo: 'BW-V1', invoice });
    sandbox.control.advanceClock(60_000);
    const validate = (taxNo: string, amount: string) =>
      baiwangCall(sandbox, BAIWANG_METHODS.validate, token, {
        taxNo,
        invoiceType: FPLX_BY_TYPE.VAT_SPECIAL,
        invoiceCode: invoice.code,
        invoiceNumber: invoice.number,
        billingDate: kprqOf(invoice),
        amount,
      });
    expect((await validate(SELLER, '100.00')).body.response).toMatchObject({
      resultCode: '00',
      invoice: { number: invoice.number },
    });
    expect((await validate(SELLER, '113.00')).body.response).toMatchObject({ resultCode: '03' });
    expect((await validate(STRANGER, '100.00')).body.response).toMatchObject({ resultCode: '04' });
  });

  it('counts an event that reached the authority by two routes as relayed, not as a resend (voids included)', async () => {
    sandbox.control.reset();
    token = (await baiwangToken(sandbox)).body.response!.access_token;
    const direct = (body: unknown) =>
      authorityClient(sandbox)('POST', `/v1/taxpayers/${SELLER}/invoices`, body);
    const invoice = makeInvoice('VAT_GENERAL', { issuedAt: new Date(Date.now() - 60_000).toISOString() });
    // The issue arrives directly first; its void arrives through Baiwang first, then directly.
    expect((await direct({ kind: 'issued', invoice })).body).toMatchObject({ code: '0000' });
    expect(
      (await upload({ taxNo: SELLER, serialNo: 'SN-VOID-ROUTES', kind: 'voided', invoice })).body.success,
    ).toBe(true);
    expect((await direct({ kind: 'voided', invoice })).body).toMatchObject({
      code: '0000',
      data: { duplicate: true },
    });
    // And a resend on the direct route is a duplicate.
    await direct({ kind: 'voided', invoice });
    const authority = sandbox.control.state().authority;
    expect([authority.relayedDuplicates, authority.duplicates, authority.duplicateKeys]).toEqual([
      1,
      1,
      [keyOf(invoice)],
    ]);
  });
});
