import type { AuthorityInvoiceHeader, AuthorityListPage } from '@lib/protocols';
import { startSandbox, type RunningSandbox } from '../src/sandbox';
import { authorityClient } from './support/authority.client';
import { makeInvoice, SELLER } from './support/invoice.fixtures';

describe('authority listing', () => {
  let sandbox: RunningSandbox;
  let call: ReturnType<typeof authorityClient>;
  const list = (query: string, taxNo = SELLER) =>
    call<AuthorityListPage>('GET', `/v1/taxpayers/${taxNo}/invoices?${query}`);

  beforeAll(async () => {
    sandbox = await startSandbox({ authority: { visibilityLagMs: 0 } });
    call = authorityClient(sandbox);
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.control.reset());

  it('pages in stable order: nothing lost or repeated while uploads keep arriving', async () => {
    const seeded = await sandbox.control.generateRecords({
      taxNo: SELLER,
      period: '2024-05',
      count: 3000,
      seed: 7,
    });
    expect(seeded.generated).toBe(3000);
    const seen: AuthorityInvoiceHeader[] = [];
    let token: string | null = null;
    let arrivals = 0;
    do {
      const page = await list(`period=2024-05&pageSize=250${token ? `&pageToken=${token}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.data!.items);
      token = page.body.data!.nextPageToken;
      for (let i = 0; i < 10; i += 1) {
        const day = String(1 + ((arrivals * 7) % 28)).padStart(2, '0');
        arrivals += 1;
        const invoice = makeInvoice('DIGITAL_GENERAL', { issuedAt: `2024-05-${day}T12:00:00+08:00` });
        expect(
          (await call('POST', `/v1/taxpayers/${SELLER}/invoices`, { kind: 'issued', invoice })).body.code,
        ).toBe('0000');
      }
    } while (token);
    const keys = seen.map((item) => item.invoiceKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (let i = 1; i < seen.length; i += 1) {
      const [a, b] = [seen[i - 1], seen[i]];
      const order = Date.parse(a.issuedAt) - Date.parse(b.issuedAt) || (a.invoiceKey < b.invoiceKey ? -1 : 1);
      expect(order).toBeLessThan(0);
    }
    const generatedSeen = seen.filter((item) => item.sellerName === '模拟销方有限公司');
    expect(generatedSeen).toHaveLength(3000);
  });

  it('lists purchases for the buyer and validates paging parameters', async () => {
    await sandbox.control.generateRecords({
      taxNo: SELLER,
      period: '2024-06',
      count: 50,
      seed: 1,
      types: ['VAT_SPECIAL'],
      buyerTaxNos: ['91110108MA01ABCD0X'],
    });
    const purchases = await list('period=2024-06&direction=purchase&pageSize=1000', '91110108MA01ABCD0X');
    expect(purchases.body.data!.items).toHaveLength(50);
    expect(purchases.body.data!.nextPageToken).toBeNull();
    expect((await list('period=2024-06&pageSize=1001')).status).toBe(400);
    expect((await list('period=2024-6')).status).toBe(400);
    const first = await list('period=2024-06&pageSize=10');
    const token = first.body.data!.nextPageToken!;
    expect((await list(`period=2024-07&pageToken=${token}`)).status).toBe(400);
    expect((await list('period=2024-06&pageToken=garbage')).status).toBe(400);
  });

  it('generates records deterministically from a seed', async () => {
    const a = await sandbox.control.generateRecords({
      taxNo: SELLER,
      period: '2024-03',
      count: 100,
      seed: 42,
    });
    sandbox.control.reset();
    const b = await sandbox.control.generateRecords({
      taxNo: SELLER,
      period: '2024-03',
      count: 100,
      seed: 42,
    });
    expect(b).toEqual(a);
    expect(
      (await sandbox.control.generateRecords({ taxNo: SELLER, period: '2024-03', count: 100, seed: 42 }))
        .skipped,
    ).toBe(100);
    expect(sandbox.control.authorityRecord(a.firstKey!)?.invoice.lines).toHaveLength(1);
  });
});
