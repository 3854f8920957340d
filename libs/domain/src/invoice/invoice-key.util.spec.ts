import { invoiceKey, isInvoiceKey, parseInvoiceKey, tryInvoiceKey } from './invoice-key.util';

describe('invoice key', () => {
  it('joins code and number with a hyphen for legacy invoices', () => {
    expect(invoiceKey({ code: '044031900111', number: '12345678' })).toBe('044031900111-12345678');
    expect(invoiceKey({ code: '3200182130', number: '00001234' })).toBe('3200182130-00001234');
  });

  it('is the bare 20-digit number for 数电 invoices', () => {
    expect(invoiceKey({ code: null, number: '25442000000123456789' })).toBe('25442000000123456789');
    expect(invoiceKey({ code: '', number: '25442000000123456789' })).toBe('25442000000123456789');
  });

  it('never confuses a 12-digit code + 8-digit number with a 20-digit 数电 number', () => {
    const legacy = invoiceKey({ code: '254420000001', number: '23456789' });
    const digital = invoiceKey({ code: null, number: '25442000000123456789' });
    expect(legacy).not.toBe(digital);
    expect(parseInvoiceKey(legacy)).toEqual({ code: '254420000001', number: '23456789' });
    expect(parseInvoiceKey(digital)).toEqual({ code: null, number: '25442000000123456789' });
  });

  it.each([
    { code: null, number: '12345678' },
    { code: '044031900111', number: '25442000000123456789' },
    { code: '04403190011', number: '12345678' },
    { code: '044031900111', number: '1234567' },
  ])('refuses to build a key from %p', (identity) => {
    expect(() => invoiceKey(identity)).toThrow(expect.objectContaining({ code: 'INVOICE_KEY_INVALID' }));
    expect(tryInvoiceKey(identity)).toBeNull();
  });

  it.each(['044031900111-12345678', '3200182130-00001234', '25442000000123456789'])(
    'recognises %s',
    (key) => {
      expect(isInvoiceKey(key)).toBe(true);
    },
  );

  it.each(['044031900111-1234567', '044031900111_12345678', '-12345678', '2544200000012345678', ''])(
    'rejects %j',
    (key) => {
      expect(isInvoiceKey(key)).toBe(false);
      expect(() => parseInvoiceKey(key)).toThrow(expect.objectContaining({ code: 'INVOICE_KEY_INVALID' }));
    },
  );
});
