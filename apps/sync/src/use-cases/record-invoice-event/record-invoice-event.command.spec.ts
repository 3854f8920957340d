import { buildEnvelope } from '@lib/contracts';
import { Invoice } from '@lib/domain';
import {
  digitalRedInvoice,
  digitalSpecialInvoice,
} from '../../../../../libs/domain/src/testing/invoice.fixture';
import { toLedgerEvent } from './record-invoice-event.command';

const OCCURRED = '2026-10-10T02:00:00.000Z';
const RECEIVED = '2026-10-10T02:01:00.000Z';

const invoiceEvent = (type: 'invoice.issued' | 'invoice.red-issued' | 'invoice.voided', inv: Invoice) =>
  buildEnvelope(
    type,
    {
      invoiceKey: inv.number,
      invoice: { ...inv, lines: [...inv.lines] },
      deviceId: 'dev-1',
      branchId: 'sz',
      taxNo: inv.sellerTaxNo,
      receivedAt: RECEIVED,
    },
    { source: 'device-gateway', occurredAt: OCCURRED },
  );

/** A plain mapping of an envelope the transport already checked: no parse, nothing refused. */
describe('toLedgerEvent', () => {
  it.each([
    ['invoice.issued', 'issued'],
    ['invoice.red-issued', 'red-issued'],
    ['invoice.voided', 'voided'],
  ] as const)('maps %s to a ledger event of kind %s', (type, kind) => {
    const inv = type === 'invoice.red-issued' ? digitalRedInvoice() : digitalSpecialInvoice();
    const envelope = invoiceEvent(type, inv);
    expect(toLedgerEvent(envelope)).toEqual({
      eventId: envelope.id,
      kind,
      invoiceKey: inv.number,
      taxNo: inv.sellerTaxNo,
      branchId: 'sz',
      deviceId: 'dev-1',
      invoice: envelope.data.invoice,
      occurredAt: new Date(OCCURRED),
      receivedAt: new Date(RECEIVED),
    });
  });
});
