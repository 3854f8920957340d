import { validateInvoiceItem } from '@lib/contracts';
import { tryInvoiceKey, withUsccCheckDigit } from '@lib/domain';
import { SampleInvoices } from './sample-invoices';

describe('SampleInvoices', () => {
  const seller = withUsccCheckDigit('91440300MA5F8Q2K7');

  it('produces items that pass every rule of the gateway, with no warnings, across all types', () => {
    const items = new SampleInvoices({ sellerTaxNo: seller, series: 7 }).batch(60);
    const types = new Set<unknown>();
    for (const item of items) {
      const result = validateInvoiceItem(item, { now: new Date(), deviceTaxNo: seller });
      expect({ errors: result.errors, warnings: result.warnings }).toEqual({ errors: [], warnings: [] });
      types.add(item.invoice.type);
    }
    expect(types.size).toBe(6);
  });

  it('never repeats an invoice key, within or across series', () => {
    const keys = [0, 1, 99].flatMap((series) =>
      new SampleInvoices({ sellerTaxNo: seller, series })
        .batch(300)
        .map((i) => tryInvoiceKey(i.invoice as never)),
    );
    expect(keys.every((k) => k !== null)).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
