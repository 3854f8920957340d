import { digitalSpecialInvoice, eGeneralInvoice } from '../testing/invoice.fixture';
import { verificationQueryOf } from './verification.mapper';
import { canVoid, voidRefusal } from './void.rules';

describe('verification (查验) query', () => {
  it('uses the last 6 digits of the check code for a legacy general invoice', () => {
    expect(verificationQueryOf(eGeneralInvoice())).toEqual({
      fplx: '10',
      fpdm: '044031900111',
      fphm: '12345678',
      kprq: '20250312',
      kpje: '172458',
      jym: '172458',
    });
  });

  it('uses the amount excl. tax for special invoices', () => {
    const query = verificationQueryOf(eGeneralInvoice({ type: 'VAT_SPECIAL', code: '4403182130' }));
    expect(query).toMatchObject({ fplx: '01', fpdm: '4403182130', kpje: '4483.22', jym: null });
  });

  it('uses the total incl. tax and no code for 数电 invoices', () => {
    expect(verificationQueryOf(digitalSpecialInvoice())).toEqual({
      fplx: '81',
      fpdm: null,
      fphm: '25442000000123456789',
      kprq: '20250312',
      kpje: '5000.00',
      jym: null,
    });
  });

  it('dates the invoice in Shanghai', () => {
    const late = eGeneralInvoice({ issuedAt: '2025-03-12T23:30:00+00:00' });
    expect(verificationQueryOf(late).kprq).toBe('20250313');
  });

  it('has no fourth input for a general invoice without check code', () => {
    expect(verificationQueryOf(eGeneralInvoice({ checkCode: null }))).toMatchObject({
      kpje: null,
      jym: null,
    });
  });

  it('rejects an unparseable issue date', () => {
    expect(() => verificationQueryOf(eGeneralInvoice({ issuedAt: 'yesterday' }))).toThrow(TypeError);
  });
});

describe('canVoid', () => {
  const issuedAt = new Date('2025-03-31T23:50:00+08:00');

  it('allows a paper invoice in its month of issue (Shanghai)', () => {
    expect(canVoid('VAT_SPECIAL', issuedAt, new Date('2025-03-31T15:59:00Z'))).toBe(true);
    expect(canVoid('VAT_GENERAL', issuedAt, new Date('2025-03-31T23:59:59+08:00'))).toBe(true);
  });

  it('refuses once the Shanghai month has turned, even if UTC has not', () => {
    expect(voidRefusal('VAT_SPECIAL', issuedAt, new Date('2025-03-31T16:00:00Z'))).toBe(
      'OUTSIDE_ISSUE_MONTH',
    );
    expect(canVoid('VAT_SPECIAL', issuedAt, new Date('2025-04-01T00:00:00+08:00'))).toBe(false);
  });

  it.each(['E_VAT_SPECIAL', 'E_VAT_GENERAL', 'DIGITAL_SPECIAL', 'DIGITAL_GENERAL'] as const)(
    'refuses %s',
    (type) => {
      expect(voidRefusal(type, issuedAt, issuedAt)).toBe('NOT_PAPER');
    },
  );

  it('refuses an invoice issued in a later month than now', () => {
    expect(voidRefusal('VAT_GENERAL', new Date('2025-04-01T08:00:00+08:00'), issuedAt)).toBe(
      'NOT_YET_ISSUED',
    );
  });
});
