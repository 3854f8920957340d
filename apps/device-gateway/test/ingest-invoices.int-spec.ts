import { randomUUID } from 'node:crypto';
import { parseEnvelope, TOPICS } from '@lib/contracts';
import { DeviceClient, InvoiceResult, RegisteredDevice } from '@lib/device-client';
import { pollUntil, TopicCollector } from '@lib/testing';
import { GatewayHarness, OTHER_SELLER } from './support/gateway-harness';
import { item, line, nextNumber, redItem, voidItem } from './support/invoice-fixtures';

jest.setTimeout(90_000);

describe('POST /v1/invoices (real PostgreSQL + Kafka)', () => {
  let gw: GatewayHarness;
  let collector: TopicCollector;
  let device: RegisteredDevice;
  let client: DeviceClient;

  beforeAll(async () => {
    gw = await GatewayHarness.start();
    collector = await gw.collect([TOPICS.invoiceEvents]);
    device = await gw.registerDevice();
    client = gw.client(device);
  });

  afterAll(async () => {
    await collector?.stop();
    await gw?.close();
  });

  const published = (eventId: string) =>
    collector.messages.filter((m) => m.headers['event-id'] === eventId.toLowerCase());
  const waitPublished = (eventIds: string[]) =>
    pollUntil(
      () => eventIds.map(published),
      (found) => found.every((m) => m.length >= 1),
      { what: 'messages in Kafka' },
    );

  it('publishes issued, red-issued and voided invoices to invoice.events.v1, keyed by invoice key, with the envelope headers', async () => {
    const items = [item(), redItem(), voidItem()];
    const traceId = randomUUID().replace(/-/g, '');
    const response = await client.postInvoices(items, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    expect(response.status).toBe(200);
    expect(response.body.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);

    const ids = items.map((i) => i.eventId as string);
    await waitPublished(ids);
    const types = ['invoice.issued', 'invoice.red-issued', 'invoice.voided'];
    items.forEach((sent, index) => {
      const [message, ...more] = published(ids[index]);
      expect(more).toHaveLength(0);
      const inv = sent.invoice as { code: string | null; number: string };
      expect(message.topic).toBe(gw.topic(TOPICS.invoiceEvents));
      expect(message.key).toBe(inv.code ? `${inv.code}-${inv.number}` : inv.number);
      expect(message.headers['event-type']).toBe(types[index]);
      expect(message.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(message.headers.traceparent).not.toContain('00f067aa0ba902b7');
      const parsed = parseEnvelope(TOPICS.invoiceEvents, message.value);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
      expect(parsed.envelope).toMatchObject({
        id: ids[index],
        type: types[index],
        source: 'device-gateway',
        version: 1,
      });
      expect(parsed.envelope.data).toMatchObject({
        deviceId: device.deviceId,
        taxNo: device.taxNo,
        branchId: device.branchId,
      });
    });
  });

  it('starts a new trace when the caller sends no (or a bad) traceparent', async () => {
    const sent = item();
    await client.postInvoices([sent], { traceparent: 'garbage' });
    const [message] = await waitPublished([sent.eventId as string]).then(() =>
      published(sent.eventId as string),
    );
    expect(message.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('answers each item in order; one bad item never rejects the others', async () => {
    const items = [item(), item({ amount: 'x' }), 'not an object', null, item()];
    const { body } = await client.postInvoices(items);
    expect(body.results.map((r) => r.status)).toEqual([
      'accepted',
      'rejected',
      'rejected',
      'rejected',
      'accepted',
    ]);
    expect(body.results[0].eventId).toBe(items[0] && (items[0] as { eventId: string }).eventId);
    expect(body.results[1].errors).toEqual([
      expect.objectContaining({ code: 'MONEY_FORMAT', field: 'invoices[1].invoice.amount' }),
    ]);
    expect(body.results[2]).toEqual({
      eventId: null,
      status: 'rejected',
      errors: [expect.objectContaining({ field: 'invoices[2]' })],
    });
  });

  it("rejects an invoice whose seller is not the device's taxpayer (SELLER_MISMATCH)", async () => {
    const { body } = await client.postInvoices([item({ sellerTaxNo: OTHER_SELLER })]);
    expect(body.results[0]).toMatchObject({
      status: 'rejected',
      errors: [{ code: 'SELLER_MISMATCH', field: 'invoices[0].invoice.sellerTaxNo' }],
    });
  });

  it('is idempotent on eventId: same content is a duplicate, other content an IDEMPOTENCY_CONFLICT, nothing published twice', async () => {
    const first = item();
    expect((await client.postInvoices([first])).body.results[0].status).toBe('accepted');
    const again = await client.postInvoices([first]);
    expect(again.body.results[0]).toEqual({ eventId: first.eventId, status: 'duplicate', errors: [] });
    // Same content written differently (keys reordered, defaults spelled out) is still the same content.
    const reordered = {
      invoice: { ...(first.invoice as object), original: null, redReason: null },
      kind: 'issued',
      eventId: first.eventId,
    };
    expect((await client.postInvoices([reordered])).body.results[0].status).toBe('duplicate');
    const changed = { ...first, invoice: { ...(first.invoice as object), buyerName: '另一个买方' } };
    const conflict = await client.postInvoices([changed]);
    expect(conflict.body.results[0]).toMatchObject({
      status: 'rejected',
      errors: [{ code: 'IDEMPOTENCY_CONFLICT', field: 'invoices[0].eventId' }],
    });
    await waitPublished([first.eventId as string]);
    await new Promise((r) => setTimeout(r, 500));
    expect(published(first.eventId as string)).toHaveLength(1);
  });

  it('de-duplicates on the invoice key: identical content under a new eventId is a duplicate; other content is accepted with a warning', async () => {
    const original = item();
    await client.postInvoices([original]);
    const sameContent = { ...original, eventId: randomUUID() };
    const otherContent = {
      ...original,
      eventId: randomUUID(),
      invoice: { ...(original.invoice as object), buyerName: '改过的买方' },
    };
    const digitalTwin = {
      ...otherContent,
      eventId: randomUUID(),
      invoice: { ...(otherContent.invoice as object), type: 'VAT_GENERAL' },
    };
    const { body } = await client.postInvoices([sameContent, otherContent, digitalTwin]);
    expect(body.results[0]).toEqual({ eventId: sameContent.eventId, status: 'duplicate', errors: [] });
    expect(body.results[1]).toMatchObject({
      status: 'accepted',
      warnings: [{ code: 'DUPLICATE_INVOICE_KEY', field: 'invoices[1].invoice.number' }],
    });
    // The key ignores the type: a paper twin with the same code and number is the same invoice.
    expect(body.results[2].warnings?.map((w) => w.code)).toContain('DUPLICATE_INVOICE_KEY');
    await waitPublished([original.eventId as string, otherContent.eventId as string]);
    expect(published(sameContent.eventId as string)).toHaveLength(0);
    // Repeats inside one request are answered the same way.
    const inRequest = item();
    const repeated = await client.postInvoices([
      inRequest,
      inRequest,
      { ...inRequest, eventId: randomUUID() },
    ]);
    expect(repeated.body.results.map((r) => r.status)).toEqual(['accepted', 'duplicate', 'duplicate']);
  });

  it('lets exactly one of many concurrent requests accept an eventId, whatever their content', async () => {
    const shared = item();
    // Other buyer (same invoice key: those requests queue on the key's lock) or other number (another key: they race
    // on the eventId's primary key instead).
    const variants = Array.from({ length: 12 }, (_, i) =>
      i % 3 === 0
        ? shared
        : i % 3 === 1
          ? { ...shared, invoice: { ...(shared.invoice as object), buyerName: `买方 ${i}` } }
          : { ...shared, invoice: { ...(shared.invoice as object), number: nextNumber() } },
    );
    const answers = await Promise.all(variants.map((v) => client.postInvoices([v])));
    const results: InvoiceResult[] = answers.map((a) => a.body.results[0]);
    expect(results.filter((r) => r.status === 'accepted')).toHaveLength(1);
    const winner = variants[results.findIndex((r) => r.status === 'accepted')];
    results.forEach((result, index) => {
      if (result.status === 'accepted') return;
      const same = JSON.stringify(variants[index]) === JSON.stringify(winner);
      expect(result.status).toBe(same ? 'duplicate' : 'rejected');
    });
    await waitPublished([shared.eventId as string]);
    await new Promise((r) => setTimeout(r, 500));
    expect(published(shared.eventId as string)).toHaveLength(1);
  });

  it('enforces the limits: EMPTY_BATCH, TOO_MANY_ITEMS, INVALID_BODY, JSON_TOO_DEEP, 413; 1000 invoices of 3 lines fit', async () => {
    const code = async (body: unknown) => {
      const response = await client.send<{ error: { code: string } }>('POST', '/v1/invoices', { body });
      return [response.status, response.body.error?.code];
    };
    expect(await code({ invoices: [] })).toEqual([400, 'EMPTY_BATCH']);
    expect(await code({ invoices: Array.from({ length: 1001 }, () => ({})) })).toEqual([
      400,
      'TOO_MANY_ITEMS',
    ]);
    expect(await code([item()])).toEqual([400, 'INVALID_BODY']);
    expect(await code({ invoices: 'all of them' })).toEqual([400, 'INVALID_BODY']);
    expect(await code({})).toEqual([400, 'INVALID_BODY']);
    // The shared filter means to answer MALFORMED_JSON here, but Nest 12 hands it a BadRequestException wrapping the
    // parser's error, so the code is BAD_REQUEST (libs/observability). The status is what devices act on.
    expect((await code('{"invoices": ['))[0]).toBe(400);
    expect((await code('null'))[0]).toBe(400);
    expect(await code(`${'['.repeat(100)}${']'.repeat(100)}`)).toEqual([400, 'JSON_TOO_DEEP']);
    expect(
      await code(JSON.stringify({ invoices: [item({ sellerName: 'x'.repeat(9 * 1024 * 1024) })] })),
    ).toEqual([413, 'PAYLOAD_TOO_LARGE']);

    const big = Array.from({ length: 1000 }, () =>
      item({
        amount: '10619.46',
        taxAmount: '1380.54',
        totalAmount: '12000.00',
        lines: [line(), line(), line()],
      }),
    );
    const response = await client.postInvoices(big);
    expect(response.status).toBe(200);
    expect(response.body.results.every((r) => r.status === 'accepted')).toBe(true);
  });
});
