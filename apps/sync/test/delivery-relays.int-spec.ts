import { DataSource } from 'typeorm';
import { createServiceDataSource, prepareSchema } from '@lib/persistence';
import { CreateAuditLog1766000000000 } from '@lib/platform';
import { dropSchema, testDatabaseUrl, uniqueName } from '@lib/testing';
import { DeliveryRelayRepository } from '../src/delivery/delivery-relay.repository';
import { SYNC_MIGRATIONS } from '../src/persistence/migrations';

jest.setTimeout(60_000);

const NOW = new Date('2026-03-02T04:00:00.000Z');
const EARLIER = new Date('2026-03-02T03:00:00.000Z');
const LATER = new Date('2026-03-02T05:00:00.000Z');

interface Row {
  status: string;
  waiting_for: string | null;
  relay_via: string | null;
  due_at: Date | null;
  completed_at: Date | null;
  target_record_id: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
}

/** The relay statements of DeliveryRelayRepository on a throw-away sync schema (no Nest, no Kafka, no workers). */
describe('DeliveryRelayRepository (real PostgreSQL)', () => {
  const schema = uniqueName('sync_relays_it');
  const relays = new DeliveryRelayRepository();
  let ds: DataSource;
  let serial = 0;

  beforeAll(async () => {
    ds = createServiceDataSource({
      url: testDatabaseUrl(),
      schema,
      migrations: [CreateAuditLog1766000000000, ...SYNC_MIGRATIONS],
      poolSize: 2,
    });
    await ds.initialize();
    await prepareSchema(ds, schema);
  });
  afterAll(async () => {
    await ds?.destroy();
    await dropSchema(schema);
  });

  async function insert(
    invoiceKey: string,
    target: string,
    fields: Partial<Record<string, unknown>> = {},
  ): Promise<void> {
    const row: Record<string, unknown> = {
      invoice_key: invoiceKey,
      event_kind: 'issued',
      target,
      tax_no: '91440300MA5XXXXX1A',
      status: 'pending',
      serial_no: `S${++serial}`,
      due_at: LATER,
      created_at: EARLIER,
      updated_at: EARLIER,
      ...fields,
    };
    const columns = Object.keys(row);
    await ds.query(
      `INSERT INTO deliveries (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
      Object.values(row),
    );
  }

  /** An authority delivery waiting for a relay through `via`, and the platform delivery at `via` in `status`. */
  async function waitingRelay(invoiceKey: string, via: string, status: string): Promise<void> {
    await insert(invoiceKey, 'authority', { waiting_for: 'relay', relay_via: via, due_at: null });
    await insert(invoiceKey, via, {
      status,
      target_record_id: status === 'accepted' ? `rec-${invoiceKey}` : null,
    });
  }

  const rowOf = async (invoiceKey: string, target: string) =>
    (
      await ds.query<Row[]>('SELECT * FROM deliveries WHERE invoice_key = $1 AND target = $2', [
        invoiceKey,
        target,
      ])
    )[0];

  it('finds the ended platform deliveries that a pending relay still waits for, and only those', async () => {
    await waitingRelay('ended-1', 'baiwang', 'rejected');
    await waitingRelay('ended-2', 'nuonuo', 'accepted');
    await waitingRelay('open-1', 'baiwang', 'sending');
    const found = await relays.endedSourcesOfWaitingRelays(ds.manager, 'authority', 10);
    expect(found.map((r) => `${r.invoice_key}/${r.target}/${r.status}`).sort()).toEqual([
      'ended-1/baiwang/rejected',
      'ended-2/nuonuo/accepted',
    ]);
    expect(await relays.endedSourcesOfWaitingRelays(ds.manager, 'authority', 1)).toHaveLength(1);
  });

  it('sends the authority delivery back to direct when the platform did not deliver', async () => {
    await waitingRelay('failed-1', 'baiwang', 'dead');
    const source = { invoiceKey: 'failed-1', kind: 'issued' as const, target: 'baiwang' };
    await relays.returnToDirect(ds.manager, source, 'authority', 'baiwang: TIMEOUT', NOW);
    expect(await rowOf('failed-1', 'authority')).toMatchObject({
      status: 'pending',
      waiting_for: null,
      relay_via: null,
      due_at: NOW,
      last_error_code: 'RELAY_FAILED',
      last_error_message: 'baiwang: TIMEOUT',
    });
  });

  it('marks the authority delivery relayed with the platform record when the platform delivered, once', async () => {
    await waitingRelay('relayed-1', 'nuonuo', 'accepted');
    const source = { invoiceKey: 'relayed-1', kind: 'issued' as const, target: 'nuonuo' };
    const relayed = await relays.markRelayed(ds.manager, source, 'authority', 'rec-relayed-1', NOW);
    expect(relayed.map((r) => [r.target, r.status, r.target_record_id])).toEqual([
      ['authority', 'relayed', 'rec-relayed-1'],
    ]);
    expect(await rowOf('relayed-1', 'authority')).toMatchObject({
      waiting_for: null,
      due_at: null,
      completed_at: NOW,
    });
    expect(await relays.markRelayed(ds.manager, source, 'authority', 'rec-relayed-1', NOW)).toEqual([]);
  });

  it('reads the platform deliveries of one event and hurries a pending one that is not due yet', async () => {
    await insert('hurry-1', 'baiwang');
    await insert('hurry-1', 'nuonuo', { status: 'rejected' });
    expect(
      (await relays.platformStatuses(ds.manager, 'hurry-1', 'issued', ['baiwang', 'nuonuo'])).sort((a, b) =>
        a.target.localeCompare(b.target),
      ),
    ).toEqual([
      { target: 'baiwang', status: 'pending' },
      { target: 'nuonuo', status: 'rejected' },
    ]);
    expect((await relays.platformDelivery(ds.manager, 'hurry-1', 'issued', 'baiwang'))?.status).toBe(
      'pending',
    );
    expect(await relays.platformDelivery(ds.manager, 'hurry-1', 'voided', 'baiwang')).toBeUndefined();
    await relays.hurry(ds.manager, 'hurry-1', 'issued', 'baiwang', NOW);
    expect((await rowOf('hurry-1', 'baiwang')).due_at).toEqual(NOW);
  });
});
