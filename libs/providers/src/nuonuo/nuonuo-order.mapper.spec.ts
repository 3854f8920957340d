import { digitalRedInvoice, digitalSpecialInvoice, eGeneralInvoice } from '../../../domain/src/testing/invoice.fixture';
import { toNuonuoOrder } from './nuonuo-order.mapper';

const req = (invoice = digitalSpecialInvoice(), kind: 'issued' | 'red-issued' | 'voided' = 'issued') => ({
  invoiceKey: 'k',
  kind,
  invoice,
  serialNo: 'SY0123',
});

describe('toNuonuoOrder', () => {
  it('maps an issue: orderNo = serial, Shanghai local date, invoice line, amounts excl. tax per line', () => {
    const mapped = toNuonuoOrder(req(eGeneralInvoice({ issuedAt: '2025-03-12T02:15:00Z' })));
    expect(mapped).toMatchObject({
      ok: true,
      order: { orderNo: 'SY0123', invoiceDate: '2025-03-12 10:15:00', invoiceLine: 'p', invoiceType: '1', invoiceCode: '044031900111' },
    });
    if (mapped.ok) expect(mapped.order.invoiceDetail[0]).toMatchObject({ withTax: '0', taxExcludedAmount: '3539.82', tax: '460.18' });
  });

  it('maps red reasons explicitly (01 → 2, 02 → 1) and refuses what Nuonuo cannot carry', () => {
    expect(toNuonuoOrder(req(digitalRedInvoice({ redReason: '01' }), 'red-issued'))).toMatchObject({ order: { invoiceType: '2', redReason: '2' } });
    expect(toNuonuoOrder(req(digitalRedInvoice({ redReason: '02' }), 'red-issued'))).toMatchObject({ order: { redReason: '1', originalInvoiceNum: '25442000000123456789' } });
    expect(toNuonuoOrder(req(digitalRedInvoice({ redReason: '03' }), 'red-issued'))).toMatchObject({ ok: false, code: 'NUONUO_RED_REASON_UNSUPPORTED' });
    expect(toNuonuoOrder(req(eGeneralInvoice(), 'voided'))).toMatchObject({ ok: false, code: 'NUONUO_VOID_UNSUPPORTED' });
  });
});
