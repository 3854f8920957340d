import {
  invoiceCodeStructureHint,
  isInvoiceCode,
  isInvoiceNumberFor,
  isTaxClassificationCode,
} from './invoice-format.rules';
import {
  fplxOf,
  INVOICE_TYPES,
  invoiceTypeInfo,
  invoiceTypeOfFplx,
  isDigital,
  isInvoiceType,
  isLegacyElectronic,
  isPaper,
  isSpecial,
} from './invoice-type.table';
import { isLegalVatRate, isVatRateInForce, vatRateEntries } from './vat-rate.table';

describe('invoice types', () => {
  it('classifies each type', () => {
    expect(INVOICE_TYPES.filter(isPaper)).toEqual(['VAT_SPECIAL', 'VAT_GENERAL']);
    expect(INVOICE_TYPES.filter(isLegacyElectronic)).toEqual(['E_VAT_SPECIAL', 'E_VAT_GENERAL']);
    expect(INVOICE_TYPES.filter(isDigital)).toEqual(['DIGITAL_SPECIAL', 'DIGITAL_GENERAL']);
    expect(INVOICE_TYPES.filter(isSpecial)).toEqual(['VAT_SPECIAL', 'E_VAT_SPECIAL', 'DIGITAL_SPECIAL']);
  });

  it.each([
    ['VAT_SPECIAL', '01', 'AMOUNT_EXCL_TAX'],
    ['VAT_GENERAL', '04', 'CHECK_CODE_LAST6'],
    ['E_VAT_SPECIAL', '08', 'AMOUNT_EXCL_TAX'],
    ['E_VAT_GENERAL', '10', 'CHECK_CODE_LAST6'],
    ['DIGITAL_SPECIAL', '81', 'TOTAL_INCL_TAX'],
    ['DIGITAL_GENERAL', '82', 'TOTAL_INCL_TAX'],
  ] as const)('%s: fplx %s, verified by %s', (type, fplx, amountKind) => {
    expect(fplxOf(type)).toBe(fplx);
    expect(invoiceTypeOfFplx(fplx)).toBe(type);
    expect(invoiceTypeInfo(type).verificationAmount).toBe(amountKind);
  });

  it('recognises type names and unknown fplx codes', () => {
    expect(isInvoiceType('VAT_SPECIAL')).toBe(true);
    expect(isInvoiceType('vat_special')).toBe(false);
    expect(isInvoiceType(1)).toBe(false);
    expect(invoiceTypeOfFplx('03')).toBeNull();
  });
});

describe('invoice formats', () => {
  it.each(['3200182130', '044031900111', '011001900311'])('accepts the code %s', (code) => {
    expect(isInvoiceCode(code)).toBe(true);
  });

  it.each(['320018213', '04403190011', '0440319001111', '32001821X0', '', null])(
    'rejects the code %p',
    (code) => {
      expect(isInvoiceCode(code)).toBe(false);
    },
  );

  it('gives structure hints without rejecting', () => {
    expect(invoiceCodeStructureHint('3200182130')).toBeNull();
    expect(invoiceCodeStructureHint('044031900111')).toBeNull();
    expect(invoiceCodeStructureHint('3200182115')).toMatch(/copies/);
    expect(invoiceCodeStructureHint('144031900111')).toMatch(/start with 0/);
  });

  it('checks numbers by type', () => {
    expect(isInvoiceNumberFor('VAT_SPECIAL', '00001234')).toBe(true);
    expect(isInvoiceNumberFor('VAT_SPECIAL', '1234')).toBe(false);
    expect(isInvoiceNumberFor('DIGITAL_GENERAL', '25442000000123456789')).toBe(true);
    expect(isInvoiceNumberFor('DIGITAL_GENERAL', '12345678')).toBe(false);
    expect(isInvoiceNumberFor('E_VAT_GENERAL', '25442000000123456789')).toBe(false);
  });

  it('checks 19-digit tax classification codes', () => {
    expect(isTaxClassificationCode('1090511030000000000')).toBe(true);
    expect(isTaxClassificationCode('109051103000000000')).toBe(false);
    expect(isTaxClassificationCode('10905110300000000001')).toBe(false);
  });
});

describe('VAT rate table', () => {
  it.each([
    '0.13',
    '0.09',
    '0.06',
    '0.05',
    '0.03',
    '0.01',
    '0',
    '0.00',
    '0.015',
    '0.005',
    '0.17',
    '0.16',
    '0.11',
    '0.10',
    '0.1',
  ])('knows %s', (rate) => expect(isLegalVatRate(rate)).toBe(true));

  it.each(['0.12', '0.07', '0.2', '13', '13%', 'abc', '0.130001'])('does not know %s', (rate) => {
    expect(isLegalVatRate(rate)).toBe(false);
  });

  it('knows when historical rates applied', () => {
    expect(isVatRateInForce('0.16', '2018-12-01')).toBe(true);
    expect(isVatRateInForce('0.16', '2019-04-01')).toBe(false);
    expect(isVatRateInForce('0.17', '2018-04-30')).toBe(true);
    expect(isVatRateInForce('0.17', '2018-05-01')).toBe(false);
    expect(isVatRateInForce('0.13', '2018-01-01')).toBe(false);
    expect(isVatRateInForce('0.13', '2016-01-01')).toBe(true);
    expect(isVatRateInForce('0.13', '2025-03-12')).toBe(true);
    expect(isVatRateInForce('0.06', '2010-01-01')).toBe(true);
    expect(isVatRateInForce('0.12', '2025-03-12')).toBe(false);
    expect(vatRateEntries('0.130')).toHaveLength(2);
  });
});
