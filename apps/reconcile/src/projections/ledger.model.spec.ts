import { digitalSpecialInvoice } from '../../../../libs/domain/src/testing/invoice.fixture';
import { contentHash, money, periodOfInvoice } from './ledger.model';

describe('ledger model', () => {
  it('treats equal amounts written differently as one version, and any real change as another', () => {
    const base = digitalSpecialInvoice();
    expect(contentHash({ ...base, totalAmount: '5000' })).toBe(contentHash({ ...base, totalAmount: '5000.00' }));
    expect(contentHash({ ...base, issuedAt: '2025-03-12T02:15:00Z' })).toBe(contentHash(base));
    expect(contentHash({ ...base, totalAmount: '5000.01' })).not.toBe(contentHash(base));
  });

  it('normalises money and takes the period in Asia/Shanghai', () => {
    expect(money('5')).toBe('5.00');
    expect(periodOfInvoice({ ...digitalSpecialInvoice(), issuedAt: '2026-10-31T16:30:00Z' })).toBe('2026-11');
  });
});
