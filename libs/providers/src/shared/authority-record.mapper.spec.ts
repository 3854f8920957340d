import { toAuthorityRecord } from './authority-record.mapper';

describe('toAuthorityRecord', () => {
  const header = {
    type: 'DIGITAL_GENERAL' as const,
    code: null,
    number: '25442000000000000001',
    issuedAt: '2026-10-10T10:00:00+08:00',
    sellerTaxNo: 'S',
    sellerName: 's',
    buyerTaxNo: null,
    buyerName: '个人',
    amount: '100.00',
    taxAmount: '13.00',
    totalAmount: '113.00',
    status: 'NORMAL' as const,
  };

  it('counts the lines of a whole invoice (a 查验 answer) and says nothing of a list row', () => {
    expect(toAuthorityRecord({ ...header, lines: [{}, {}] }).lineCount).toBe(2);
    expect(toAuthorityRecord(header).lineCount).toBeNull();
  });

  it('keeps the buyer as the authority wrote it', () => {
    expect(toAuthorityRecord(header)).toMatchObject({ buyerTaxNo: null, buyerName: '个人' });
  });
});
