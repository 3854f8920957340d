import { randomUUID } from 'node:crypto';
import { ManualClock } from '@lib/common';
import { withUsccCheckDigit } from '@lib/domain';
import { pollUntil, startTestIssuer, TestIssuer, TopicCollector } from '@lib/testing';
import { ReconcileHarness } from './support/reconcile-harness';

jest.setTimeout(120_000);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const HOUR = 3_600_000;
const TAX_A = withUsccCheckDigit('91440300MA5F8Q2K7');
const TAX_B = withUsccCheckDigit('91110000MA01ABCD2');

/**
 * The maintenance windows API over HTTP (docs/maintenance.md): reconcile's app on real PostgreSQL and Kafka, people's
 * tokens from a test issuer, its clock a ManualClock. Only an admin changes windows; whoever reads runs reads them.
 * Each change is one transaction: the row, an audit entry naming the person and exactly one `maintenance.changed` in
 * the outbox, which the relay then publishes. Triggers added to the test's schema record, per inserted row, the
 * transaction that wrote it (the relay deletes outbox rows once published, so they cannot be counted afterwards).
 */
describe('maintenance windows API (reconcile over HTTP, PostgreSQL, Kafka)', () => {
  const h = new ReconcileHarness();
  const clock = new ManualClock('2026-11-18T02:00:00Z');
  let issuer: TestIssuer;
  let events: TopicCollector;
  const tokens: Record<'admin' | 'manager' | 'clerk' | 'auditor' | 'nobody', string> = {} as never;

  const as = (token: string) => ({
    get: (path: string) => h.api('GET', path, undefined, token) as Promise<{ status: number; body: Json }>,
    post: (path: string, body: unknown = {}) =>
      h.api('POST', path, body, token) as Promise<{ status: number; body: Json }>,
    patch: (path: string, body: unknown = {}) =>
      h.api('PATCH', path, body, token) as Promise<{ status: number; body: Json }>,
  });
  const at = (hoursFromNow: number) => new Date(clock.now().getTime() + hoursFromNow * HOUR).toISOString();
  const window = (over: Json = {}) => ({
    target: 'authority',
    startsAt: at(48),
    endsAt: at(56),
    reason: '税局系统升级',
    taxNos: [TAX_A],
    ...over,
  });
  const announce = async (over: Json = {}): Promise<Json> => {
    const created = await as(tokens.admin).post('/v1/maintenance-windows', window(over));
    expect(created.status).toBe(201);
    return created.body;
  };
  const writes = (id: string) =>
    h.query<{
      tbl: string;
      xid: string;
      action: string | null;
      actor: string | null;
      key: string | null;
      payload: string | null;
    }>(
      `SELECT tbl, xid::text, row->>'action' AS action, row->>'actor_name' AS actor, row->>'message_key' AS key,
              row->>'payload' AS payload
         FROM maintenance_writes
        WHERE row->>'id' = $1 OR row->>'target_id' = $1 OR row->>'message_key' = $1
        ORDER BY seq`,
      [id],
    );
  const errorOf = (r: { status: number; body: Json }) => [r.status, r.body.error?.code];

  beforeAll(async () => {
    issuer = await startTestIssuer();
    await h.start([], clock, { ...issuer.env, RECONCILE_WORKERS_ENABLED: 'false' });
    tokens.admin = await issuer.token({ sub: 'admin-1', name: '系统管理员', roles: ['admin'] });
    tokens.manager = await issuer.token({ sub: 'mgr-1', name: '王经理', roles: ['finance-manager'] });
    tokens.clerk = await issuer.token({
      sub: 'clerk-sz',
      name: '深圳 会计',
      roles: ['branch-clerk'],
      branches: ['SZ01'],
    });
    tokens.auditor = await issuer.token({ sub: 'auditor-1', name: 'Audrey Auditor', roles: ['auditor'] });
    tokens.nobody = await issuer.token({ sub: 'visitor', name: 'Visitor', roles: [] });
    // the test's own record of every insert into the three tables a change writes, with its transaction
    await h.query(
      `CREATE TABLE maintenance_writes (seq bigserial PRIMARY KEY, tbl text NOT NULL, xid bigint NOT NULL, row jsonb NOT NULL)`,
    );
    await h.query(`
      CREATE FUNCTION record_maintenance_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF to_jsonb(NEW)->>'payload' LIKE '%"boom: refuse the outbox write"%' THEN
          RAISE EXCEPTION 'outbox write refused by the test';
        END IF;
        INSERT INTO maintenance_writes (tbl, xid, row) VALUES (TG_TABLE_NAME, txid_current(), to_jsonb(NEW));
        RETURN NEW;
      END $$`);
    for (const table of ['maintenance_windows', 'audit_log', 'outbox'])
      await h.query(
        `CREATE TRIGGER ${table}_recorded BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION record_maintenance_write()`,
      );
    events = await new TopicCollector(h.kafka, [h.topic('reconcile.maintenance.v1')]).start();
  });
  afterAll(async () => {
    await events?.stop();
    await h?.stop();
    await issuer?.close();
  });

  it('refuses announce, change and cancel to everyone but an admin (403 FORBIDDEN), and writes nothing', async () => {
    const existing = await announce();
    const refusals = async (token: string) => [
      errorOf(await as(token).post('/v1/maintenance-windows', window())),
      errorOf(await as(token).patch(`/v1/maintenance-windows/${existing.id}`, { reason: 'x' })),
      errorOf(await as(token).post(`/v1/maintenance-windows/${existing.id}/cancel`, { reason: 'x' })),
    ];
    for (const token of [tokens.manager, tokens.clerk, tokens.auditor])
      expect(await refusals(token)).toEqual(Array(3).fill([403, 'FORBIDDEN']));
    // a person the IdP gave no role of ours is refused before any permission is asked
    expect(await refusals(tokens.nobody)).toEqual(Array(3).fill([403, 'NO_ROLE']));
    expect(errorOf(await h.api('POST', '/v1/maintenance-windows', window(), null))).toEqual([
      401,
      'UNAUTHENTICATED',
    ]);
    expect(
      await h.query('SELECT revision, state FROM maintenance_windows WHERE id = $1', [existing.id]),
    ).toEqual([{ revision: 1, state: 'scheduled' }]);
    expect(await h.query('SELECT COUNT(*)::int AS n FROM maintenance_windows')).toEqual([{ n: 1 }]);
  });

  it('lets every role (each has runs:read) list and read windows; a person without a role gets 403', async () => {
    const w = await announce({ target: 'baiwang', reason: '百望云例行维护' });
    for (const token of [tokens.manager, tokens.clerk, tokens.auditor]) {
      const one = await as(token).get(`/v1/maintenance-windows/${w.id}`);
      expect(one).toMatchObject({
        status: 200,
        body: { id: w.id, target: 'baiwang', revision: 1, state: 'scheduled' },
      });
      const listed = await as(token).get('/v1/maintenance-windows?target=baiwang');
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((i: Json) => i.id)).toContain(w.id);
      expect(listed.body.items.every((i: Json) => i.target === 'baiwang')).toBe(true);
    }
    expect(errorOf(await as(tokens.nobody).get('/v1/maintenance-windows'))).toEqual([403, 'NO_ROLE']);
    expect(errorOf(await as(tokens.nobody).get(`/v1/maintenance-windows/${w.id}`))).toEqual([403, 'NO_ROLE']);
  });

  it("an admin's announcement: the row, an audit entry naming the person and one outbox row, in one transaction; then published", async () => {
    const created = await as(tokens.admin).post(
      '/v1/maintenance-windows',
      window({ taxNos: [TAX_B, TAX_A, TAX_A] }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      target: 'authority',
      startsAt: at(48),
      endsAt: at(56),
      reason: '税局系统升级',
      taxNos: [TAX_B, TAX_A].sort(),
      state: 'scheduled',
      revision: 1,
      cancelReason: null,
      createdBy: { kind: 'person', subject: 'admin-1', name: '系统管理员' },
      updatedBy: { kind: 'person', subject: 'admin-1', name: '系统管理员' },
      createdAt: clock.now().toISOString(),
    });
    const id = created.body.id as string;
    const rows = await writes(id);
    expect(rows.map((r) => r.tbl)).toEqual(['maintenance_windows', 'audit_log', 'outbox']);
    expect(new Set(rows.map((r) => r.xid)).size).toBe(1);
    expect(rows[1]).toMatchObject({ action: 'maintenance.announce', actor: '系统管理员' });
    expect(rows[2].key).toBe(id);
    expect(JSON.parse(rows[2].payload!)).toMatchObject({
      type: 'maintenance.changed',
      data: {
        windowId: id,
        change: 'announced',
        revision: 1,
        actor: { subject: 'admin-1', name: '系统管理员' },
      },
    });
    const audit = await h.query<Json>(
      `SELECT actor_kind, actor_subject, actor_name, target_type, reason, detail FROM audit_log WHERE target_id = $1`,
      [id],
    );
    expect(audit).toEqual([
      {
        actor_kind: 'person',
        actor_subject: 'admin-1',
        actor_name: '系统管理员',
        target_type: 'maintenance-window',
        reason: null,
        detail: {
          revision: 1,
          target: 'authority',
          startsAt: at(48),
          endsAt: at(56),
          taxNos: [TAX_B, TAX_A].sort(),
        },
      },
    ]);
    // the relay publishes it, keyed by the window, exactly once
    const published = await pollUntil(
      () => events.messages.filter((m) => m.key === id),
      (mine) => mine.length > 0,
      { timeoutMs: 30_000, what: 'maintenance.changed published' },
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // a duplicate would follow the first closely
    expect(published).toHaveLength(1);
    expect(JSON.parse(published[0].value!)).toMatchObject({
      data: { windowId: id, change: 'announced', revision: 1 },
    });
  });

  it('writes nothing when the outbox write fails: the row and its audit entry roll back with it', async () => {
    const counts = () =>
      h.query(
        `SELECT (SELECT COUNT(*)::int FROM maintenance_windows) AS windows, (SELECT COUNT(*)::int FROM audit_log) AS audit,
                (SELECT COUNT(*)::int FROM maintenance_writes) AS writes`,
      );
    const before = await counts();
    const refused = await as(tokens.admin).post(
      '/v1/maintenance-windows',
      window({ reason: 'boom: refuse the outbox write' }),
    );
    expect(errorOf(refused)).toEqual([500, 'INTERNAL']);
    expect(await counts()).toEqual(before);
    expect(
      await h.query(`SELECT COUNT(*)::int AS n FROM maintenance_windows WHERE reason LIKE 'boom%'`),
    ).toEqual([{ n: 0 }]);
  });

  it('answers bad input with 400 INVALID_REQUEST naming the fields', async () => {
    const admin = as(tokens.admin);
    const shape = await admin.post('/v1/maintenance-windows', {
      target: 'weather',
      startsAt: 'tomorrow',
      endsAt: at(2),
      reason: '',
      taxNos: ['123'],
      colour: 'red',
    });
    expect(errorOf(shape)).toEqual([400, 'INVALID_REQUEST']);
    const fields = (shape.body.error.details as { field: string; code: string }[]).map((d) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining(['body.target', 'body.startsAt', 'body.reason', 'body.taxNos.0', 'body']),
    );
    const backwards = await admin.post('/v1/maintenance-windows', window({ startsAt: at(5), endsAt: at(4) }));
    expect(errorOf(backwards)).toEqual([400, 'INVALID_REQUEST']);
    expect(backwards.body.error.details).toEqual([
      expect.objectContaining({ code: 'INVALID_VALUE', field: 'body.endsAt' }),
    ]);
    const missing = await admin.post('/v1/maintenance-windows', {});
    expect(errorOf(missing)).toEqual([400, 'INVALID_REQUEST']);
    expect((missing.body.error.details as { field: string }[]).map((d) => d.field).sort()).toEqual([
      'body.endsAt',
      'body.reason',
      'body.startsAt',
      'body.target',
    ]);
    const w = await announce();
    const empty = await admin.patch(`/v1/maintenance-windows/${w.id}`, { note: 'only a note' });
    expect(errorOf(empty)).toEqual([400, 'INVALID_REQUEST']);
    // a change whose new end is not after the stored start
    const before = await admin.patch(`/v1/maintenance-windows/${w.id}`, { endsAt: at(47) });
    expect(errorOf(before)).toEqual([400, 'INVALID_REQUEST']);
    expect(before.body.error.details).toEqual([expect.objectContaining({ field: 'body.endsAt' })]);
    expect(errorOf(await admin.post(`/v1/maintenance-windows/${w.id}/cancel`, {}))).toEqual([
      400,
      'INVALID_REQUEST',
    ]);
    expect(errorOf(await admin.get('/v1/maintenance-windows/not-a-uuid'))).toEqual([400, 'INVALID_REQUEST']);
    expect(errorOf(await admin.get('/v1/maintenance-windows?state=later'))).toEqual([400, 'INVALID_REQUEST']);
    expect(
      (await h.query<Json>('SELECT revision FROM maintenance_windows WHERE id = $1', [w.id]))[0].revision,
    ).toBe(1);
  });

  it('refuses a window that has already ended: MAINTENANCE_WINDOW_PAST', async () => {
    const past = await as(tokens.admin).post(
      '/v1/maintenance-windows',
      window({ startsAt: at(-5), endsAt: at(-1) }),
    );
    expect(errorOf(past)).toEqual([400, 'MAINTENANCE_WINDOW_PAST']);
    // a window under way may be announced (it ends ahead)
    expect(
      (await as(tokens.admin).post('/v1/maintenance-windows', window({ startsAt: at(-1), endsAt: at(3) })))
        .status,
    ).toBe(201);
    const w = await announce();
    expect(
      errorOf(
        await as(tokens.admin).patch(`/v1/maintenance-windows/${w.id}`, { startsAt: at(-6), endsAt: at(-2) }),
      ),
    ).toEqual([400, 'MAINTENANCE_WINDOW_PAST']);
  });

  it('a change bumps the revision, records the person and the note, and publishes the new revision', async () => {
    const w = await announce();
    const changed = await as(tokens.admin).patch(`/v1/maintenance-windows/${w.id}`, {
      startsAt: at(50),
      endsAt: at(60),
      taxNos: null,
      note: 'the authority moved it',
    });
    expect(changed).toMatchObject({
      status: 200,
      body: {
        id: w.id,
        revision: 2,
        startsAt: at(50),
        endsAt: at(60),
        taxNos: null,
        reason: w.reason,
        state: 'scheduled',
      },
    });
    const again = await as(tokens.admin).patch(`/v1/maintenance-windows/${w.id}`, { target: 'product' });
    expect(again.body).toMatchObject({ revision: 3, target: 'product', startsAt: at(50) });
    expect((await as(tokens.clerk).get(`/v1/maintenance-windows/${w.id}`)).body.revision).toBe(3);
    const rows = await writes(w.id);
    expect(rows.map((r) => r.tbl)).toEqual([
      'maintenance_windows',
      'audit_log',
      'outbox',
      'maintenance_windows',
      'audit_log',
      'outbox',
      'maintenance_windows',
      'audit_log',
      'outbox',
    ]);
    for (const i of [0, 3, 6]) expect(new Set(rows.slice(i, i + 3).map((r) => r.xid)).size).toBe(1);
    expect(
      await h.query(
        `SELECT action, actor_name, reason, (detail->>'revision')::int AS revision FROM audit_log WHERE target_id = $1 ORDER BY id`,
        [w.id],
      ),
    ).toEqual([
      { action: 'maintenance.announce', actor_name: '系统管理员', reason: null, revision: 1 },
      {
        action: 'maintenance.change',
        actor_name: '系统管理员',
        reason: 'the authority moved it',
        revision: 2,
      },
      { action: 'maintenance.change', actor_name: '系统管理员', reason: null, revision: 3 },
    ]);
    const revisions = await pollUntil(
      () =>
        events.messages
          .filter((m) => m.key === w.id)
          .map((m) => JSON.parse(m.value!).data.revision as number),
      (mine) => mine.length >= 3,
      { timeoutMs: 30_000, what: 'three revisions published' },
    );
    expect(revisions).toEqual([1, 2, 3]);
  });

  it('MAINTENANCE_WINDOW_NOT_FOUND for an unknown window, on read, change and cancel', async () => {
    const id = randomUUID();
    expect(errorOf(await as(tokens.manager).get(`/v1/maintenance-windows/${id}`))).toEqual([
      404,
      'MAINTENANCE_WINDOW_NOT_FOUND',
    ]);
    expect(errorOf(await as(tokens.admin).patch(`/v1/maintenance-windows/${id}`, { reason: 'x' }))).toEqual([
      404,
      'MAINTENANCE_WINDOW_NOT_FOUND',
    ]);
    expect(
      errorOf(await as(tokens.admin).post(`/v1/maintenance-windows/${id}/cancel`, { reason: 'x' })),
    ).toEqual([404, 'MAINTENANCE_WINDOW_NOT_FOUND']);
  });

  it('cancels once: a repeat answers 409 MAINTENANCE_WINDOW_CANCELLED and changes nothing; a cancelled window cannot change', async () => {
    const w = await announce();
    const cancelled = await as(tokens.admin).post(`/v1/maintenance-windows/${w.id}/cancel`, {
      reason: '税局取消维护',
    });
    expect(cancelled).toMatchObject({
      status: 200,
      body: {
        state: 'cancelled',
        cancelReason: '税局取消维护',
        revision: 2,
        updatedBy: { name: '系统管理员' },
      },
    });
    const repeat = await as(tokens.admin).post(`/v1/maintenance-windows/${w.id}/cancel`, { reason: 'again' });
    expect(errorOf(repeat)).toEqual([409, 'MAINTENANCE_WINDOW_CANCELLED']);
    expect(
      errorOf(await as(tokens.admin).patch(`/v1/maintenance-windows/${w.id}`, { reason: 'back on' })),
    ).toEqual([409, 'MAINTENANCE_WINDOW_CANCELLED']);
    expect(
      await h.query('SELECT state, revision, cancel_reason FROM maintenance_windows WHERE id = $1', [w.id]),
    ).toEqual([{ state: 'cancelled', revision: 2, cancel_reason: '税局取消维护' }]);
    expect(
      (await writes(w.id)).filter((r) => r.tbl === 'outbox').map((r) => JSON.parse(r.payload!).data.change),
    ).toEqual(['announced', 'cancelled']);
    expect(
      await h.query(`SELECT action, actor_name, reason FROM audit_log WHERE target_id = $1 ORDER BY id`, [
        w.id,
      ]),
    ).toEqual([
      { action: 'maintenance.announce', actor_name: '系统管理员', reason: null },
      { action: 'maintenance.cancel', actor_name: '系统管理员', reason: '税局取消维护' },
    ]);
    const listed = await as(tokens.auditor).get('/v1/maintenance-windows?state=cancelled');
    expect(listed.body.items.map((i: Json) => i.id)).toContain(w.id);
  });

  it('MAINTENANCE_WINDOW_ENDED once the clock passes its end: no change, no cancellation', async () => {
    const w = await announce({ startsAt: at(1), endsAt: at(2) });
    clock.advance(2 * HOUR);
    expect(
      errorOf(await as(tokens.admin).patch(`/v1/maintenance-windows/${w.id}`, { endsAt: at(5) })),
    ).toEqual([409, 'MAINTENANCE_WINDOW_ENDED']);
    expect(
      errorOf(await as(tokens.admin).post(`/v1/maintenance-windows/${w.id}/cancel`, { reason: 'late' })),
    ).toEqual([409, 'MAINTENANCE_WINDOW_ENDED']);
    expect((await as(tokens.manager).get(`/v1/maintenance-windows/${w.id}`)).body).toMatchObject({
      revision: 1,
      state: 'scheduled',
    });
  });
});
