import { backupHeaderLine, backupLine, BackupInvoice, csvLine } from './backup-csv';

describe('device reset backup CSV', () => {
  const invoice: BackupInvoice = {
    invoiceKey: '044031900111' + '00012345',
    period: '2026-03',
    type: 'VAT_SPECIAL',
    code: '044031900111',
    number: '00012345',
    issuedAt: new Date('2026-03-05T02:00:00Z'),
    colour: 'blue',
    status: 'issued',
    buyerTaxNo: null,
    buyerName: '深圳市"前海"科技有限公司',
    amount: '100.00',
    taxAmount: '13.00',
    totalAmount: '113.00',
    redReversedAmount: '0.00',
    originalKey: null,
    source: 'ledger',
    deviceId: 'dev_1',
    receivedAt: new Date('2026-03-05T02:00:01Z'),
  };

  it('quotes every field, doubles inner quotes, keeps leading zeros and ends lines with CRLF', () => {
    expect(backupLine(invoice)).toBe(
      '"04403190011100012345","2026-03","VAT_SPECIAL","044031900111","00012345","2026-03-05T02:00:00.000Z","blue","issued",' +
        '"","深圳市""前海""科技有限公司","100.00","13.00","113.00","0.00","","ledger","dev_1","2026-03-05T02:00:01.000Z"\r\n',
    );
    expect(backupHeaderLine().startsWith('"invoiceKey","period","type","code","number","issuedAt"')).toBe(
      true,
    );
  });

  it('defuses formulas in text but leaves negative amounts as numbers', () => {
    expect(csvLine(['=HYPERLINK("x")', '-113.00', '@me', '-', 'plain'])).toBe(
      `"'=HYPERLINK(""x"")","-113.00","'@me","'-","plain"\r\n`,
    );
  });
});
