import { buildEnvelope } from '@lib/contracts';
import { Invoice } from '@lib/domain';
import {
  digitalRedInvoice,
  digitalSpecialInvoice,
} from '../../../../../libs/domain/src/testing/invoice.fixture';
import { contentHash } from '../../projections/ledger.model';
import { toLedgerEventRecord } from './project-invoice-event.command';

const invoiceEvent = (type: 'invoice.issued' | 'invoice.red-issued' | 'invoice.voided', inv: Invoice) =>
  buildEnvelope(
    type,
    {
      invoiceKey: inv.number,
      invoice: { ...inv, lines: [...inv.lines] },
      deviceId: 'dev-1',
      branchId: 'sz',
      taxNo: inv.sellerTaxNo,
      receivedAt: '2026-10-10T02:01:00Z',
    },
    { source: 'device-gateway', occurredAt: '2026-10-10T02:00:00Z' },
  );

/** A plain mapping of an envelope the transport already checked: no parse, nothing refused. */
describe('toLedgerEventRecord', () => {
  it('records an issue as blue, with its period, amounts and content hash', () => {
    const inv = digitalSpecialInvoice();
    const envelope = invoiceEvent('invoice.issued', inv);
    expect(toLedgerEventRecord(envelope)).toMatchObject({
      eventId: envelope.id,
      kind: 'issued',
      invoiceKey: inv.number,
      originalKey: null,
      colour: 'blue',
      period: '2025-03',
      lineCount: inv.lines.length,
      totalAmount: inv.totalAmount,
      contentHash: contentHash(envelope.data.invoice),
      occurredAt: new Date('2026-10-10T02:00:00Z'),
      receivedAt: new Date('2026-10-10T02:01:00Z'),
    });
  });

  it('records a red invoice as red with the key of the original it reverses; a void keeps the colour blue', () => {
    const original = digitalSpecialInvoice({ number: '25442000000300000002' });
    const red = digitalRedInvoice({ original: { code: null, number: original.number } });
    expect(toLedgerEventRecord(invoiceEvent('invoice.red-issued', red))).toMatchObject({
      kind: 'red-issued',
      colour: 'red',
      originalKey: original.number,
    });
    expect(toLedgerEventRecord(invoiceEvent('invoice.voided', original))).toMatchObject({
      kind: 'voided',
      colour: 'blue',
      originalKey: null,
    });
  });
});
