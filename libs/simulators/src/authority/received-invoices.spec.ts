import { verificationQueryOf } from '@lib/domain';
import { BUYER_TAX_NO, digitalSpecialInvoice, SELLER_TAX_NO } from '../../../domain/src/testing/invoice.fixture';
import { SimClock } from '../core/sim-clock';
import { AuthoritySimulator } from './authority.simulator';
import { plantReceived, setInvoiceStatus } from './received-invoices';

const invoice = digitalSpecialInvoice({ issuedAt: '2026-10-10T10:00:00+08:00' });
const query = { ...verificationQueryOf(invoice), fpdm: '' };

describe('received invoices planted at the simulated authority', () => {
  const clock = new SimClock(1, Date.parse('2026-11-20T02:00:00Z'), () => 0);
  let authority: AuthoritySimulator;
  beforeEach(() => {
    authority = new AuthoritySimulator(clock, { visibilityLagMs: 0, dailyQueryQuota: 5, redFormConfirmMs: 1 });
  });

  it('answers the buyer’s 查验 with the planted status, and refuses anyone the invoice does not name (04)', () => {
    expect(plantReceived(authority, { invoices: [{ invoice: { ...invoice }, status: 'voided' }] })).toMatchObject({ added: 1, errors: [] });
    const answer = authority.verification.verify('authority', BUYER_TAX_NO, query);
    expect(answer).toMatchObject({ returncode: '00', invoice: { status: 'VOIDED', sellerTaxNo: SELLER_TAX_NO } });
    expect(authority.verification.verify('authority', '91110000MA00000000', query).returncode).toBe('04');
  });

  it('counts 5 checks per invoice per day and channel, then answers 05 with the authority’s message', () => {
    plantReceived(authority, { invoices: [{ invoice: { ...invoice } }] });
    const codes = Array.from({ length: 6 }, () => authority.verification.verify('authority', BUYER_TAX_NO, query).returncode);
    expect(codes).toEqual(['00', '00', '00', '00', '00', '05']);
    expect(authority.verification.verify('authority', BUYER_TAX_NO, query).returnmsg).toContain('超过该张发票当日查验次数');
    expect(authority.verification.verify('baiwang', BUYER_TAX_NO, query).returncode).toBe('00');
  });

  it('refuses a received invoice without a buyer and one that breaks the upload rules, at their own positions', () => {
    const outcome = plantReceived(authority, {
      invoices: [
        { invoice: { ...invoice, buyerTaxNo: null } },
        { invoice: { ...invoice, number: '25442000000000000002' } },
        { invoice: { ...invoice, number: '25442000000000000003', totalAmount: '1.00' } },
      ],
    });
    expect(outcome.added).toBe(1);
    expect(outcome.errors.map((e) => [e.index, e.errors[0].code])).toEqual([
      [0, 'BUYER_REQUIRED'],
      [2, expect.any(String)],
    ]);
  });

  it('lets the supplier red-reverse an invoice later: the next 查验 says so', () => {
    plantReceived(authority, { invoices: [{ invoice: { ...invoice } }] });
    expect(setInvoiceStatus(authority, invoice.number, 'red-reversed')).toMatchObject({
      status: 'RED_REVERSED',
      redReversedAmount: `-${invoice.totalAmount}`,
    });
    expect(authority.verification.verify('authority', BUYER_TAX_NO, query).invoice?.status).toBe('RED_REVERSED');
    expect(setInvoiceStatus(authority, '25442000000000000099', 'voided')).toBeNull();
  });
});
