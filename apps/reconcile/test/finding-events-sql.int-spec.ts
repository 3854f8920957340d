import { ALL_BRANCHES } from '@lib/platform';
import { randomUUID } from 'node:crypto';
import { HEADER_EVENT_ID, HEADER_EVENT_TYPE, parseEnvelope, TOPICS } from '@lib/contracts';
import { FindingTransitionsRepository, TransitionRef } from '../src/findings/finding-transitions.repository';
import { FindingRow } from '../src/findings/finding.model';
import { FindingsQueryRepository } from '../src/findings/findings-query.repository';
import { FindingsRepository } from '../src/findings/findings.repository';
import { PendingOutbox } from '../src/findings/pending-outbox';
import { ReuploadLogRepository } from '../src/remediation/reupload-log.repository';
import { ReuploadRequest } from '../src/remediation/reupload.publisher';
import { findingRow } from './support/finding-row';
import { ReconcileDb, TAX_NO } from './support/reconcile-db';
import { key } from './support/seed';

jest.setTimeout(60_000);

const NOW = new Date('2026-11-20T02:00:00.123Z');

const finding = (over: Partial<FindingRow>): FindingRow =>
  findingRow(key(1), NOW, {
    id: randomUUID(),
    taxNo: TAX_NO,
    type: 'MISSING_IN_AUTHORITY',
    state: 'open',
    severity: 'warning',
    branchId: 'sz-futian',
    deviceId: 'dev-1',
    invoiceType: 'DIGITAL_GENERAL',
    explanation: 'Invoice 1 is missing.',
    evidence: { cause: 'NOT_VISIBLE', ledger: { amount: '100.00' }, note: '发票已上传' },
    createdAt: new Date('2026-11-19T02:00:00.456Z'),
    ...over,
  });

/**
 * The finding-changed events a merge builds in SQL (FindingEventsPublisher.sqlMessages) are the events the
 * Node builder writes (`messages`, validated by the contract): every one parses with the contract, carries the
 * same data, headers and key (real PostgreSQL).
 */
describe('finding events built in SQL', () => {
  const db = new ReconcileDb();
  const events = db.findingEvents();
  const transitionLog = new FindingTransitionsRepository();
  const repository = new FindingsRepository();

  beforeAll(() => db.start());
  afterAll(() => db.stop());

  it('match the contract and the Node-built events, one per transition', async () => {
    const rows = [
      finding({}),
      // a legacy invoice with a code, remediating after being open
      finding({
        type: 'AMOUNT_MISMATCH',
        subject: '044031900111-12345678',
        invoiceKey: '044031900111-12345678',
        invoiceType: 'VAT_SPECIAL',
        invoiceCode: '044031900111',
        invoiceNumber: '12345678',
        state: 'remediating',
        severity: 'critical',
        branchId: null,
      }),
      // a device finding: no invoice
      finding({
        type: 'CLEAR_CARD_OVERDUE',
        subject: 'dev-9',
        deviceId: 'dev-9',
        invoiceKey: null,
        invoiceType: null,
        invoiceNumber: null,
        evidence: {},
      }),
      // an explanation longer than the contract allows is cut at 1,000 characters, like the Node builder does
      finding({
        subject: key(2),
        invoiceKey: key(2),
        invoiceNumber: key(2),
        explanation: '清'.repeat(1_200),
      }),
    ];
    const previous: TransitionRef['previousState'][] = [null, 'open', null, 'escalated'];
    await db.dataSource.transaction((m) => repository.upsert(m, rows, randomUUID()));
    const transitions: TransitionRef[] = rows
      .map((r, i) => ({ findingId: r.id, previousState: previous[i] }))
      .reverse();

    const written = await db.dataSource.transaction(async (m) => {
      await transitionLog.start(m);
      await transitionLog.log(m, transitions.slice(0, 2));
      await transitionLog.log(m, transitions.slice(2));
      const outbox = new PendingOutbox();
      outbox.addSql(events.sqlMessages(TAX_NO, NOW));
      return outbox.flush(m);
    });
    expect(written).toBe(4);

    const outbox = await db.query<{
      topic: string;
      message_key: string;
      event_id: string;
      event_type: string;
      headers: Record<string, string>;
      payload: string;
    }>('SELECT topic, message_key, event_id, event_type, headers, payload FROM outbox ORDER BY id');
    const query = new FindingsQueryRepository(db.dataSource);
    const stored = (await Promise.all(rows.map((r) => query.get(db.dataSource.manager, r.id, ALL_BRANCHES)))).filter(
      (f): f is FindingRow => f !== null,
    );
    const expected = events.messages(
      transitions.map((t) => ({
        finding: stored.find((f) => f.id === t.findingId)!,
        previousState: t.previousState,
      })),
      NOW,
    );
    expect(outbox).toHaveLength(4);
    // one event per finding, in no particular order: compare each with the Node-built event of its finding
    const findingOf = (payload: string) =>
      (JSON.parse(payload) as { data: { findingId: string } }).data.findingId;
    expect(outbox.map((r) => findingOf(r.payload)).sort()).toEqual(
      transitions.map((t) => t.findingId).sort(),
    );
    outbox.forEach((row) => {
      const i = expected.findIndex((e) => findingOf(e.payload) === findingOf(row.payload));
      const parsed = parseEnvelope(TOPICS.reconcileFindings, row.payload);
      if (!parsed.ok)
        throw new Error(
          `${parsed.error.code}: ${parsed.error.message} ${JSON.stringify(parsed.error.details)}`,
        );
      const mine = JSON.parse(expected[i].payload) as {
        data: unknown;
        version: number;
        source: string;
        occurredAt: string;
        producedAt: string;
      };
      expect(parsed.envelope.data).toEqual(mine.data);
      expect(parsed.envelope).toMatchObject({
        id: row.event_id,
        type: 'reconcile.finding-changed',
        version: mine.version,
        source: 'reconcile',
        occurredAt: mine.occurredAt,
        producedAt: mine.producedAt,
      });
      expect(row).toMatchObject({
        topic: expected[i].topic,
        message_key: expected[i].key,
        event_type: expected[i].eventType,
        headers: { [HEADER_EVENT_ID]: row.event_id, [HEADER_EVENT_TYPE]: 'reconcile.finding-changed' },
      });
    });
    const long = outbox.find((r) => findingOf(r.payload) === rows[3].id)!;
    expect((JSON.parse(long.payload) as { data: { explanation: string } }).data.explanation).toHaveLength(
      1_000,
    );
  });

  it('refuses to write fewer events than transitions (a finding of another taxpayer or gone)', async () => {
    const other = finding({
      taxNo: '91440300MA5OTHER1X',
      subject: key(3),
      invoiceKey: key(3),
      invoiceNumber: key(3),
    });
    await db.dataSource.transaction((m) => repository.upsert(m, [other], randomUUID()));
    const before = await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM outbox');
    await expect(
      db.dataSource.transaction(async (m) => {
        await transitionLog.start(m);
        await transitionLog.log(m, [{ findingId: other.id, previousState: null }]);
        const outbox = new PendingOutbox();
        outbox.addSql(events.sqlMessages(TAX_NO, NOW));
        return outbox.flush(m);
      }),
    ).rejects.toThrow(/1 of 1 findings of 91440300MA5XXXXX1A disappeared/);
    expect(await db.query('SELECT COUNT(*)::int AS n FROM outbox')).toEqual(before);
  });

  it('builds the re-upload commands of a transaction like the Node builder, in the order they were logged', async () => {
    const requests: ReuploadRequest[] = [
      {
        invoiceKey: key(7),
        attempt: 1,
        findingId: randomUUID(),
        requestedBy: 'reconcile',
        reason: 'MISSING_IN_AUTHORITY',
      },
      {
        invoiceKey: '044031900111-12345678',
        attempt: 3,
        findingId: randomUUID(),
        requestedBy: 'reconcile',
        reason: 'MISSING_IN_AUTHORITY',
      },
    ];
    const commands = db.reuploads();
    const log = new ReuploadLogRepository();
    const before = await db.query<{ id: string }>('SELECT COALESCE(MAX(id), 0)::text AS id FROM outbox');
    const written = await db.dataSource.transaction(async (m) => {
      await log.start(m);
      await log.log(m, requests);
      const outbox = new PendingOutbox();
      outbox.addSql(commands.sqlMessages(requests.length, NOW));
      return outbox.flush(m);
    });
    expect(written).toBe(2);
    const rows = await db.query<{
      topic: string;
      message_key: string;
      event_id: string;
      headers: Record<string, string>;
      payload: string;
    }>('SELECT topic, message_key, event_id, headers, payload FROM outbox WHERE id > $1 ORDER BY id', [
      before[0].id,
    ]);
    const expected = commands.messages(requests, NOW);
    expect(rows).toHaveLength(2);
    rows.forEach((row, i) => {
      const parsed = parseEnvelope(TOPICS.syncCommands, row.payload);
      if (!parsed.ok) throw new Error(`${parsed.error.code}: ${parsed.error.message}`);
      const mine = JSON.parse(expected[i].payload) as { data: unknown; version: number; occurredAt: string };
      expect(parsed.envelope).toMatchObject({
        id: row.event_id,
        type: 'sync.reupload',
        version: mine.version,
        occurredAt: mine.occurredAt,
      });
      expect(parsed.envelope.data).toEqual(mine.data);
      expect(row).toMatchObject({
        topic: expected[i].topic,
        message_key: expected[i].key,
        headers: { [HEADER_EVENT_ID]: row.event_id, [HEADER_EVENT_TYPE]: 'sync.reupload' },
      });
    });
  });
});
