import { ManualClock } from '@lib/common';
import { startTestIssuer, TestIssuer } from '@lib/testing';
import { finding, NotifierHarness, TAX_NO } from './support/notifier-harness';

jest.setTimeout(120_000);

/** The delivery log, recipients and rules as people reach them from the console: their IdP token, role and branches. */
describe('notifier admin API for people (real PostgreSQL, a test IdP)', () => {
  const clock = new ManualClock('2026-03-10T02:00:00Z');
  const h = new NotifierHarness(clock);
  let issuer: TestIssuer;
  let clerk: string;
  let auditor: string;
  let admin: string;
  const ids: Record<string, string> = {};

  /** A finding of a branch and a failed notification about it (rows as the consumers write them). */
  async function failedNotificationOf(findingId: string, branchId: string | null): Promise<string> {
    const at = clock.now();
    // data as the finding-changed consumer stores it: a retried notification is composed from it
    if (branchId !== undefined)
      await h.query(
        `INSERT INTO findings (finding_id, type, severity, state, tax_no, branch_id, data, source_updated_at, created_at, updated_at)
         VALUES ($1, 'MISSING_IN_AUTHORITY', 'critical', 'open', $4, $2, $5, $3, $3, $3)`,
        [
          findingId,
          branchId,
          at,
          TAX_NO,
          JSON.stringify(finding(clock, { findingId, branchId, severity: 'critical' })),
        ],
      );
    const [row] = await h.query<{ id: string }>(
      `INSERT INTO notifications (dedupe_key, message_ref, kind, channel, destination, language, finding_id, status, due_at,
                                  attempts, last_error_code, last_error, created_at, updated_at)
       VALUES ($1, $1, 'alert', 'email', 'fin@example.com', 'zh-CN', $2, 'failed', $3, 3, 'SMTP_REJECTED', 'rejected', $3, $3)
       RETURNING id`,
      [`it:${findingId}`, findingId, at],
    );
    return String(row.id);
  }

  beforeAll(async () => {
    issuer = await startTestIssuer();
    await h.start(issuer.env);
    clerk = await issuer.token({ sub: 'clerk-1', name: '王芳', roles: ['branch-clerk'], branches: ['sz'] });
    auditor = await issuer.token({ sub: 'auditor-1', roles: ['auditor'] });
    admin = await issuer.token({ sub: 'admin-7', name: '李静', roles: ['admin'] });
    ids.mine = await failedNotificationOf('f-sz', 'sz');
    ids.theirs = await failedNotificationOf('f-bj', 'bj');
  });
  afterAll(async () => {
    await h.stop();
    await issuer?.close();
  });

  it("shows a clerk only notifications about their branches' findings, and another branch's as unknown", async () => {
    const listed = await h.api('GET', '/v1/notifications?status=failed', undefined, clerk);
    expect(listed.status).toBe(200);
    expect((listed.body.items as { id: string }[]).map((n) => n.id)).toEqual([ids.mine]);
    const all = await h.api('GET', '/v1/notifications?status=failed', undefined, auditor);
    expect((all.body.items as { id: string }[]).map((n) => n.id)).toEqual([ids.mine, ids.theirs]);
    const bj = await h.api('GET', '/v1/notifications?branchId=bj', undefined, auditor);
    expect((bj.body.items as { id: string }[]).map((n) => n.id)).toEqual([ids.theirs]);
    expect((await h.api('GET', `/v1/notifications/${ids.mine}`, undefined, clerk)).status).toBe(200);
    const hidden = await h.api('GET', `/v1/notifications/${ids.theirs}`, undefined, clerk);
    const unknown = await h.api('GET', '/v1/notifications/999999999', undefined, clerk);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('NOTIFICATION_NOT_FOUND');
    expect(hidden.body.error.code).toBe(unknown.body.error.code);
    expect(hidden.body.error.message).toBe(unknown.body.error.message.replace('999999999', ids.theirs));
    // A clerk may not resend at all (notifications:resend is the managers' and admins').
    expect((await h.api('POST', `/v1/notifications/${ids.mine}/resend`, undefined, clerk)).status).toBe(403);
  });

  it('refuses changes to an auditor (403 FORBIDDEN)', async () => {
    const recipient = { name: 'x', email: 'x@example.com', scopes: [{ taxNo: '*', level: 1 }] };
    const rule = { minSeverity: 'info', channels: ['email'] };
    for (const response of [
      await h.api('POST', `/v1/notifications/${ids.theirs}/resend`, undefined, auditor),
      await h.api('POST', '/v1/recipients', recipient, auditor),
      await h.api('POST', '/v1/rules', rule, auditor),
      await h.api('POST', '/v1/test-send', { recipientId: 'r', channel: 'email' }, auditor),
    ]) {
      expect(response).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    }
    const [row] = await h.query<{ status: string }>('SELECT status FROM notifications WHERE id = $1', [
      ids.theirs,
    ]);
    expect(row.status).toBe('failed');
    expect((await h.api('GET', '/v1/rules', undefined, auditor)).status).toBe(200);
  });

  it("records an admin's changes with the person in the audit log, in the change's transaction", async () => {
    const resent = await h.api('POST', `/v1/notifications/${ids.theirs}/resend`, undefined, admin);
    expect(resent).toMatchObject({ status: 202, body: { status: 'queued' } });
    const created = await h.api(
      'POST',
      '/v1/recipients',
      { name: '深圳会计', email: 'sz@example.com', scopes: [{ taxNo: '*', branchId: 'sz', level: 1 }] },
      admin,
    );
    expect(created.status).toBe(201);
    const recipientId = String(created.body.id);
    const other = await h.api(
      'POST',
      '/v1/recipients',
      { name: '北京会计', email: 'bj@example.com', scopes: [{ taxNo: '*', branchId: 'bj', level: 1 }] },
      admin,
    );
    expect((await h.api('GET', '/v1/recipients', undefined, clerk)).body.items).toEqual([
      expect.objectContaining({ id: recipientId }),
    ]);
    expect((await h.api('GET', `/v1/recipients/${String(other.body.id)}`, undefined, clerk)).status).toBe(
      404,
    );
    const rule = await h.api('POST', '/v1/rules', { minSeverity: 'critical', channels: ['email'] }, admin);
    expect(rule.status).toBe(201);
    expect((await h.api('DELETE', `/v1/rules/${String(rule.body.id)}`, undefined, admin)).status).toBe(204);
    // A change that fails leaves no entry.
    expect((await h.api('DELETE', '/v1/rules/no-such-rule', undefined, admin)).status).toBe(404);
    const audit = await h.api('GET', '/v1/audit?actor=admin-7', undefined, auditor);
    expect(audit.status).toBe(200);
    const items = audit.body.items as { action: string; target: { id: string } }[];
    expect(items.map((e) => e.action)).toEqual([
      'rule.delete',
      'rule.create',
      'recipient.create',
      'recipient.create',
      'notification.resend',
    ]);
    expect(items[4]).toMatchObject({
      service: 'notifier',
      actor: { kind: 'person', subject: 'admin-7', name: '李静' },
      target: { type: 'notification', id: ids.theirs },
      branchId: 'bj',
      detail: { previousStatus: 'failed' },
    });
    expect(items.some((e) => e.target.id === 'no-such-rule')).toBe(false);
  });

  it('answers 401 without a token, and still serves the admin-token service account', async () => {
    expect((await h.api('GET', '/v1/notifications', undefined, null)).status).toBe(401);
    expect((await h.api('GET', '/v1/rules', undefined, 'not-the-token')).body.error.code).toBe(
      'INVALID_TOKEN',
    );
    const created = await h.api('POST', '/v1/rules', { minSeverity: 'info', channels: ['sms'] });
    expect(created.status).toBe(201);
    const audit = await h.api('GET', `/v1/audit?targetId=${String(created.body.id)}`, undefined, admin);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'rule.create',
        actor: { kind: 'service', subject: 'admin-token', name: 'admin-token' },
      }),
    ]);
  });
});
