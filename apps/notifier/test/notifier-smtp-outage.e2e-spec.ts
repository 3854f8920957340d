import { SystemClock } from '@lib/common';
import { pollUntil } from '@lib/testing';
import { finding, NotifierHarness } from './support/notifier-harness';

jest.setTimeout(90_000);

const TAX = '91440300MA5F8Q2K7X';

/** An SMTP outage, then recovery: every email arrives, each exactly once (real time: retries and the breaker run on it). */
describe('notifier: SMTP outage and recovery (Kafka + PostgreSQL + sandbox SMTP sink)', () => {
  const clock = new SystemClock();
  const h = new NotifierHarness(clock);

  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('retries behind the breaker while the sink refuses, then delivers each email once', async () => {
    const names = ['o1', 'o2', 'o3', 'o4'];
    for (const name of names) {
      await h.addRecipient({
        name,
        email: `${name}@example.com`,
        scopes: [{ taxNo: TAX, branchId: 'out', level: 1 }],
      });
    }
    h.sandbox.control.setFaults('smtp', { outage: { durationMs: 2_500 } });
    const findings = [1, 2, 3].map(() => finding(clock, { branchId: 'out' }));
    for (const f of findings) await h.publishFinding(f);

    const log = async () =>
      (await Promise.all(findings.map((f) => h.log(`findingId=${f.findingId}`)))).flat();
    const failedOnce = await pollUntil(
      log,
      (items) => items.some((i) => i.attempts > 0 && i.status === 'queued'),
      { what: 'a retry' },
    );
    expect(failedOnce.find((i) => i.lastError)?.lastError.code).toMatch(/^(SMTP_|BREAKER_OPEN)/);

    const done = await pollUntil(
      log,
      (items) => items.length === 12 && items.every((i) => i.status === 'sent'),
      {
        timeoutMs: 30_000,
        what: 'all 12 emails sent after the outage',
      },
    );
    const mails = names.flatMap((n) => h.mail(`${n}@example.com`));
    expect(mails).toHaveLength(12);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(12);
    expect(new Set(mails.map((m) => m.messageId))).toEqual(new Set(done.map((i) => i.providerMessageId)));
    expect(h.sandbox.control.state().smtp.faults.outages).toBeGreaterThan(0);
  });
});
