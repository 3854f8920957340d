import { SystemClock } from '@lib/common';
import { verificationQueryOf } from '@lib/domain';
import { AuthorityAdapter, AuthorityRecordsAdapter, authorityRecordPages, BaiwangAdapter, BaiwangChannelAdapter, InMemoryTokenStore } from '../src';
import { blue, paper, request } from './support/invoices';
import { authorityConnection, baiwangConnection, failureOf, quietSandbox, RunningSandbox, silentLogger } from './support/sandbox';

describe('read side for reconcile: authority records, 查验, clear-card, and Baiwang as the alternate channel', () => {
  let sandbox: RunningSandbox;
  let records: AuthorityRecordsAdapter;
  let authority: AuthorityAdapter;
  let channel: BaiwangChannelAdapter;
  let baiwang: BaiwangAdapter;
  const clock = new SystemClock();

  beforeAll(async () => {
    sandbox = await quietSandbox();
    const tokens = new InMemoryTokenStore();
    records = new AuthorityRecordsAdapter(authorityConnection(sandbox), clock);
    authority = new AuthorityAdapter(authorityConnection(sandbox), clock);
    channel = new BaiwangChannelAdapter(baiwangConnection(sandbox), tokens, clock, silentLogger);
    baiwang = new BaiwangAdapter(baiwangConnection(sandbox), tokens, clock, silentLogger);
  });
  afterAll(async () => {
    [records, authority, channel, baiwang].forEach((a) => a.shutdown());
    await sandbox.close();
  });
  beforeEach(() => sandbox.control.reset());

  it('lists a taxpayer period page by page, with our invoice keys, and all pages in order', async () => {
    const invoices = [paper(), paper(), blue(), blue(), blue()];
    for (const invoice of invoices) await authority.upload(request(invoice));
    const seller = invoices[0].sellerTaxNo;
    const period = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const first = await records.listPage({ taxNo: seller, period, pageSize: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextPageToken).toEqual(expect.any(String));
    const seen: string[] = [];
    for await (const page of authorityRecordPages(records, { taxNo: seller, period, pageSize: 2 })) seen.push(...page.items.map((i) => i.invoiceKey));
    const expected = invoices.map((i) => (i.code ? `${i.code}-${i.number}` : i.number));
    expect(seen.sort()).toEqual(expected.sort());
    expect(first.items[0]).toMatchObject({ status: 'NORMAL', totalAmount: expect.stringMatching(/^\d+\.\d{2}$/) });
  });

  it('a page that cannot be read fails the pull (an incomplete pull is never evidence)', async () => {
    sandbox.control.setFaults('authority', { operations: ['list'], errorRate: 1 });
    const pull = (async () => {
      for await (const page of authorityRecordPages(records, { taxNo: blue().sellerTaxNo, period: '2025-03' })) void page;
    })();
    expect((await failureOf(pull)).kind).toBe('unknown');
  });

  it('verifies (查验) through the authority and through Baiwang with the domain query', async () => {
    const invoice = blue();
    await authority.upload(request(invoice));
    const query = verificationQueryOf(invoice);
    const direct = await records.verify(invoice.sellerTaxNo, query);
    expect(direct).toMatchObject({ channel: 'authority', code: '00', invoice: { invoiceKey: invoice.number, status: 'NORMAL' } });
    const alternate = await channel.verify(invoice.sellerTaxNo, query);
    expect(alternate).toMatchObject({ channel: 'baiwang', code: '00' });
    const wrong = await records.verify(invoice.sellerTaxNo, { ...query, kpje: '1.00' });
    expect(wrong.code).toBe('03');
    const general = paper();
    await authority.upload(request(general));
    expect((await records.verify(general.sellerTaxNo, verificationQueryOf(general))).code).toBe('00');
  });

  it('reads clear-card status per device and period', async () => {
    const taxNo = blue().sellerTaxNo;
    sandbox.control.setClearCard({ taxNo, deviceNo: 'DEV-1', period: '2025-02', status: 'FAILED', errorCode: 'UNUPLOADED' });
    expect(await records.clearCardStatus(taxNo, 'DEV-1', '2025-02')).toMatchObject({ status: 'FAILED', errorCode: 'UNUPLOADED' });
    expect(await records.clearCardStatus(taxNo, 'DEV-2', '2025-02')).toMatchObject({ status: 'NOT_CLEARED' });
  });

  it('finds an upload through Baiwang (by invoice or by serial) with the authority status', async () => {
    const invoice = paper();
    const req = request(invoice);
    await baiwang.upload(req);
    const found = await channel.findUpload(invoice.sellerTaxNo, invoice);
    expect(found).toMatchObject({ serialNo: req.serialNo, invoiceKey: `${invoice.code}-${invoice.number}`, authorityStatus: 'VISIBLE' });
    expect(await channel.findUpload(invoice.sellerTaxNo, invoice, req.serialNo)).toMatchObject({ kind: 'issued' });
    expect(await channel.findUpload(invoice.sellerTaxNo, paper())).toBeNull();
  });
});
