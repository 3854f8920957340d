import { SystemClock } from '@lib/common';
import { AuthorityAdapter } from '../src';
import { blue, paper, redOf, request } from './support/invoices';
import { authorityConnection, failureOf, quietSandbox, RunningSandbox } from './support/sandbox';

describe('AuthorityAdapter against the sandbox authority', () => {
  let sandbox: RunningSandbox;
  let adapter: AuthorityAdapter;
  const stats = () => sandbox.control.state().authority;

  beforeAll(async () => {
    sandbox = await quietSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    sandbox.control.reset();
    adapter = new AuthorityAdapter(authorityConnection(sandbox), new SystemClock());
  });
  afterEach(() => adapter.shutdown());

  it('signs the upload (accepted), finds it by invoice key, and answers a resend with the original result', async () => {
    const req = request(blue());
    const first = await adapter.upload(req);
    expect(first).toMatchObject({ status: 'accepted', targetRecordId: expect.stringMatching(/^UP/) });
    expect(await adapter.lookup(req)).toEqual({ status: 'found', state: 'accepted', targetRecordId: (first as { targetRecordId: string }).targetRecordId });
    expect(await adapter.upload(req)).toMatchObject({ status: 'accepted', detail: 'the authority already had it' });
    expect(stats()).toMatchObject({ accepted: 1, duplicates: 1, signatureFailures: 0, authFailures: 0 });
  });

  it('a wrong secret is refused by the authority: not sent, coded', async () => {
    const wrong = new AuthorityAdapter(authorityConnection(sandbox, { appSecret: 'not-the-secret' }), new SystemClock());
    const error = await failureOf(wrong.upload(request(blue())));
    expect([error.kind, error.code]).toEqual(['not_sent', 'AUTHORITY_AUTH_BAD_SIGNATURE']);
    expect(stats()).toMatchObject({ signatureFailures: 1, accepted: 0 });
    wrong.shutdown();
  });

  it('maps business refusals to rejected with the authority code', async () => {
    const broken = blue({ totalAmount: '5000.01' });
    expect(await adapter.upload(request(broken))).toMatchObject({ status: 'rejected', code: 'AUTHORITY_INVOICE_TOTALS_MISMATCH' });
    const orphan = redOf(blue());
    expect(await adapter.upload(request(orphan, 'red-issued'))).toMatchObject({ status: 'rejected', code: 'AUTHORITY_RED_ORIGINAL_NOT_FOUND' });
    expect(adapter.available).toBe(true);
  });

  it('carries red-issued (after its original) and voided (paper, same month); a void it cannot take is rejected', async () => {
    const original = blue();
    await adapter.upload(request(original));
    const red = request(redOf(original), 'red-issued');
    expect(await adapter.upload(red)).toMatchObject({ status: 'accepted' });
    expect(await adapter.lookup(red)).toMatchObject({ status: 'found', state: 'accepted' });

    const invoice = paper();
    const voided = request(invoice, 'voided');
    await adapter.upload(request(invoice));
    expect(await adapter.lookup(voided)).toEqual({ status: 'absent' }); // issued, not yet voided
    expect(await adapter.upload(voided)).toMatchObject({ status: 'accepted' });
    expect(await adapter.lookup(voided)).toMatchObject({ status: 'found', state: 'accepted' });
    expect(sandbox.control.authorityRecord(`${invoice.code}${invoice.number}`)?.invoice.status).toBe('VOIDED');

    const digital = blue();
    await adapter.upload(request(digital));
    expect(await adapter.upload(request(digital, 'voided'))).toMatchObject({ status: 'rejected', code: 'AUTHORITY_VOID_NOT_ALLOWED' });
  });

  it('looks up an invoice it never uploaded as absent', async () => {
    expect(await adapter.lookup(request(blue()))).toEqual({ status: 'absent' });
  });
});
