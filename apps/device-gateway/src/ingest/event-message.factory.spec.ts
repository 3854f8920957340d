import { parseEnvelope, TOPICS } from '@lib/contracts';
import { withUsccCheckDigit } from '@lib/domain';
import { DevicePrincipal } from '../auth/device-principal';
import { EventMessageFactory } from './event-message.factory';
import { validateInvoiceBatch } from './invoice-batch.validator';

const SELLER = withUsccCheckDigit('91440300MA5F8Q2K7');
const device: DevicePrincipal = {
  deviceId: 'dev_1',
  taxNo: SELLER,
  branchId: 'sz',
  deviceNo: null,
  deviceName: '前台1号盘',
  nonce: 'n'.repeat(16),
  nonceExpiresAt: new Date(),
  receivedAt: new Date('2025-03-20T02:00:00Z'),
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};
const factory = new EventMessageFactory({ brokers: [], clientId: 'x', topicPrefix: 'test.' });

function valid(kind: string, type = 'E_VAT_GENERAL', code: string | null = '044031900111') {
  const raw = {
    eventId: '3F2B8C1E-9A4D-4E6F-8B2A-1C3D5E7F9A0B',
    kind,
    invoice: {
      type,
      code,
      number: '12345678',
      issuedAt: '2025-03-12T10:15:00+08:00',
      sellerTaxNo: SELLER,
      sellerName: 'S',
      buyerTaxNo: null,
      buyerName: 'B',
      amount: '100.00',
      taxAmount: '13.00',
      totalAmount: '113.00',
      checkCode: null,
      lines: [
        {
          name: 'x',
          taxCode: '1090511030000000000',
          quantity: null,
          unitPrice: null,
          amount: '100.00',
          taxRate: '0.13',
          taxAmount: '13.00',
        },
      ],
    },
  };
  const [first] = validateInvoiceBatch([raw], {
    now: new Date('2025-03-20T02:00:00Z'),
    deviceTaxNo: SELLER,
  }).firsts;
  return first;
}

describe('EventMessageFactory', () => {
  it('writes the contracts envelope to the prefixed topic, keyed by invoice key, with a child traceparent', () => {
    const invoice = valid('issued');
    const warnings = [{ code: 'CHECK_CODE_MISSING', field: 'invoices[7].invoice.checkCode', message: 'm' }];
    const traceparent = factory.traceparentFor(device);
    const message = factory.invoice(invoice, device, warnings, traceparent);
    expect(message).toMatchObject({
      topic: `test.${TOPICS.invoiceEvents}`,
      key: '044031900111-12345678',
      eventId: '3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b',
      eventType: 'invoice.issued',
      headers: {
        'event-id': '3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b',
        'event-type': 'invoice.issued',
        traceparent,
      },
    });
    expect(traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-(?!00f067aa0ba902b7)[0-9a-f]{16}-01$/);
    const parsed = parseEnvelope(TOPICS.invoiceEvents, message.payload);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    expect(parsed.envelope).toMatchObject({
      occurredAt: '2025-03-12T10:15:00+08:00',
      producedAt: '2025-03-20T02:00:00.000Z',
    });
    expect(parsed.envelope.data.warnings).toEqual([
      { code: 'CHECK_CODE_MISSING', field: 'invoice.checkCode', message: 'm' },
    ]);
  });

  it('dates a void when it was reported', () => {
    const message = factory.invoice(
      valid('voided', 'VAT_GENERAL', '4403191320'),
      device,
      [],
      factory.traceparentFor(device),
    );
    const parsed = parseEnvelope(TOPICS.invoiceEvents, message.payload);
    expect(parsed.ok && parsed.envelope.occurredAt).toBe('2025-03-20T02:00:00.000Z');
  });
});
