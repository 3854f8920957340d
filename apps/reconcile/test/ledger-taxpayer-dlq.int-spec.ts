import { ManualClock } from '@lib/common';
import { DLQ_HEADERS, TOPICS } from '@lib/contracts';
import { Invoice, withUsccCheckDigit } from '@lib/domain';
import { pollUntil, TopicCollector } from '@lib/testing';
import { digitalSpecialInvoice } from '../../../libs/domain/src/testing/invoice.fixture';
import { FakeAuthorityChannel } from './support/fake-authority.channel';
import { ReconcileHarness } from './support/reconcile-harness';

jest.setTimeout(120_000);

const OTHER_TAX_NO = withUsccCheckDigit('91110108MA01ABCD1');

/** Through the real consumer: another taxpayer's void of a colliding key is dead-lettered, and the partition moves on. */
describe("reconcile consumer: another taxpayer's event (real PostgreSQL + Kafka)", () => {
  const h = new ReconcileHarness();
  let dlq: TopicCollector;
  const mine = digitalSpecialInvoice({
    number: '25442000000320000001',
    issuedAt: '2026-10-10T10:00:00+08:00',
  });
  const send = (type: 'invoice.issued' | 'invoice.voided', inv: Invoice, deviceId: string) =>
    h.send(TOPICS.invoiceEvents, type, {
      invoiceKey: inv.number,
      invoice: { ...inv, lines: [...inv.lines] },
      deviceId,
      branchId: deviceId === 'dev-1' ? 'sz' : 'bj',
      taxNo: inv.sellerTaxNo,
      receivedAt: '2026-10-10T02:01:00Z',
    });
  const state = async () =>
    (
      await h.query<{ state: string; tax_no: string; device_id: string }>(
        'SELECT state, tax_no, device_id FROM ledger_invoices WHERE invoice_key = $1',
        [mine.number],
      )
    )[0];

  beforeAll(async () => {
    await h.start([new FakeAuthorityChannel('authority')], new ManualClock('2026-11-20T02:00:00Z'), {
      RECONCILE_WORKERS_ENABLED: 'false',
    });
    dlq = await new TopicCollector(h.kafka, [h.topic(`${TOPICS.invoiceEvents}.dlq`)]).start();
  });
  afterAll(async () => {
    await dlq?.stop();
    await h.stop();
  });

  it('dead-letters it with TAXPAYER_MISMATCH, leaves the row alone and applies what follows', async () => {
    await send('invoice.issued', mine, 'dev-1');
    const foreign = await send('invoice.voided', { ...mine, sellerTaxNo: OTHER_TAX_NO }, 'dev-9');
    const letters = await pollUntil(
      () => dlq.messages,
      (m) => m.length >= 1,
      { what: 'a dead letter', timeoutMs: 30_000 },
    );
    expect(letters).toHaveLength(1);
    expect(letters[0].headers['event-id']).toBe(foreign);
    expect(letters[0].headers[DLQ_HEADERS.errorCode]).toBe('TAXPAYER_MISMATCH');
    expect(await state()).toEqual({ state: 'issued', tax_no: mine.sellerTaxNo, device_id: 'dev-1' });
    expect(await h.query('SELECT 1 FROM ledger_events WHERE event_id = $1', [foreign])).toEqual([]);
    // the partition moved on: the invoice's own taxpayer can still void it
    await send('invoice.voided', mine, 'dev-1');
    await pollUntil(state, (r) => r?.state === 'voided', { what: 'the own void applied', timeoutMs: 60_000 });
  });
});
