import { clearCardBodySchema, invoiceItemSchema } from '@lib/contracts';
import { withUsccCheckDigit } from '@lib/domain';
import { contentFingerprint } from './content-fingerprint';

const SELLER = withUsccCheckDigit('91440300MA5F8Q2K7');
const INVOICE = {
  type: 'E_VAT_GENERAL',
  code: '044031900111',
  number: '12345678',
  issuedAt: '2025-03-12T10:15:00+08:00',
  sellerTaxNo: SELLER,
  sellerName: '深圳市前海示例科技有限公司',
  buyerTaxNo: null,
  buyerName: '个人',
  amount: '100.00',
  taxAmount: '13.00',
  totalAmount: '113.00',
  checkCode: '59361212094539172458',
  lines: [
    {
      name: '*计算机外部设备*激光打印机',
      taxCode: '1090511030000000000',
      quantity: '1',
      unitPrice: '100',
      amount: '100.00',
      taxRate: '0.13',
      taxAmount: '13.00',
    },
  ],
};
const fingerprintOf = (raw: unknown) => {
  const item = invoiceItemSchema.parse(raw);
  return contentFingerprint({ kind: item.kind, invoice: item.invoice }).toString('hex');
};
const reversed = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(reversed);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversed(v)]),
    );
  return value;
};

describe('content fingerprint of a parsed item', () => {
  const item = { eventId: '3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b', kind: 'issued', invoice: INVOICE };

  it('does not depend on key order, spelled-out defaults or unknown fields', () => {
    const expected = fingerprintOf(item);
    expect(fingerprintOf(reversed(item))).toBe(expected);
    expect(fingerprintOf({ ...item, invoice: { ...INVOICE, original: null, redReason: null } })).toBe(
      expected,
    );
    expect(fingerprintOf({ ...item, extra: 1, invoice: { ...INVOICE, vendorField: 'x' } })).toBe(expected);
    expect(fingerprintOf({ ...item, invoice: { ...INVOICE, buyerName: '另一个' } })).not.toBe(expected);
  });

  it('is stable across releases (pinned: a change here breaks idempotency for retried items; see content-fingerprint.ts)', () => {
    expect(fingerprintOf(item)).toBe(PINNED_INVOICE);
    const body = clearCardBodySchema.parse({
      eventId: item.eventId,
      period: '2025-02',
      status: 'succeeded',
      at: '2025-03-10T09:30:00+08:00',
    });
    const { eventId: _id, ...report } = body;
    expect(contentFingerprint({ type: 'device.clear-card', report }).toString('hex')).toBe(PINNED_CLEAR_CARD);
  });
});

const PINNED_INVOICE = 'c1214ad8f988f0ec11a361afdd14fa65914dc6d6494035fe1ebbdbfdb816b300';
const PINNED_CLEAR_CARD = 'a8948081d4dcc92200b3da31e3e86cd35f6aee354e0ccb9df20ecdf182b98ce0';
