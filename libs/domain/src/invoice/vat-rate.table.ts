import { LocalDate } from '../time/local-date.util';
import { tryParseRate } from '../money/rate.parser';

export interface VatRateEntry {
  /** Normalised decimal fraction ("0.13", "0.1", "0"). */
  rate: string;
  kind: 'rate' | 'levy-rate';
  /** First and last day (Asia/Shanghai) the rate applies to new sales; absent = open-ended. */
  validFrom?: LocalDate;
  validUntil?: LocalDate;
  note: string;
}

/**
 * The VAT rates (税率) and simplified-method levy rates (征收率) an invoice line may carry. Data, not logic: extend it when
 * the law changes. Historical rates stay legal because red invoices and late issues reverse or cover old sales.
 */
export const VAT_RATES: readonly VatRateEntry[] = [
  { rate: '0.13', kind: 'rate', validFrom: '2019-04-01', note: 'standard rate since 2019-04-01' },
  {
    rate: '0.13',
    kind: 'rate',
    validUntil: '2017-06-30',
    note: 'former low rate, merged into 11% on 2017-07-01',
  },
  { rate: '0.09', kind: 'rate', validFrom: '2019-04-01', note: 'low rate since 2019-04-01' },
  { rate: '0.06', kind: 'rate', note: 'modern services' },
  { rate: '0', kind: 'rate', note: 'zero rate / exempt' },
  { rate: '0.17', kind: 'rate', validUntil: '2018-04-30', note: 'standard rate until 2018-04-30' },
  { rate: '0.11', kind: 'rate', validUntil: '2018-04-30', note: 'low rate until 2018-04-30' },
  {
    rate: '0.16',
    kind: 'rate',
    validFrom: '2018-05-01',
    validUntil: '2019-03-31',
    note: 'standard rate 2018-05 to 2019-03',
  },
  {
    rate: '0.1',
    kind: 'rate',
    validFrom: '2018-05-01',
    validUntil: '2019-03-31',
    note: 'low rate 2018-05 to 2019-03',
  },
  { rate: '0.05', kind: 'levy-rate', note: 'simplified method (real estate, leasing, labour dispatch)' },
  { rate: '0.03', kind: 'levy-rate', note: 'small-scale taxpayers and simplified method' },
  {
    rate: '0.01',
    kind: 'levy-rate',
    validFrom: '2020-03-01',
    note: 'small-scale taxpayers, 3% reduced to 1%',
  },
  {
    rate: '0.015',
    kind: 'levy-rate',
    validFrom: '2016-05-01',
    note: 'individual housing rental, 5% reduced to 1.5%',
  },
  { rate: '0.005', kind: 'levy-rate', validFrom: '2020-05-01', note: 'used-car dealers, 3% reduced to 0.5%' },
  {
    rate: '0.04',
    kind: 'levy-rate',
    validUntil: '2014-06-30',
    note: 'former simplified rate, abolished 2014-07-01',
  },
];

/** Table entries for a rate string, compared on its exact value ("0.10" and "0.1" are the same rate). */
export function vatRateEntries(rate: string): VatRateEntry[] {
  const parsed = tryParseRate(rate);
  if (!parsed) return [];
  return VAT_RATES.filter((entry) => entry.rate === parsed.text);
}

export function isLegalVatRate(rate: string): boolean {
  return vatRateEntries(rate).length > 0;
}

/** Whether the rate applied to new sales on `date`; false for unknown rates. */
export function isVatRateInForce(rate: string, date: LocalDate): boolean {
  return vatRateEntries(rate).some(
    (entry) =>
      (!entry.validFrom || entry.validFrom <= date) && (!entry.validUntil || date <= entry.validUntil),
  );
}
