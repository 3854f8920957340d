// Findings announced while the notifier's two processes fail, on the three-node cluster with every service twice:
// one SIGKILLed while it sends (and its findings' partitions move to the other), restarted, then the other SIGSTOPped
// while it sends for longer than its claim lease and its consumer session, then resumed. Reconcile raises the
// findings from invoices only the authority has (planted-findings.ts); the sandbox's SMTP and SMS answer slowly, so
// that each fault strikes sends in flight. Afterwards every email and SMS the rules call for arrived, none twice: an
// email whose sender died during the call is held for a person (it may have arrived; nothing would recognise a second
// one), who resends the ones the recipient did not get, as docs/notifier.md says; an SMS is resent with its OutId.
import type { Admin } from 'kafkajs';
import type { Client } from 'pg';
import { pollUntil, uniqueName } from '@lib/testing';
import { waitQuiet } from '../system/quiescence';
import type { SystemHarness } from '../system/system-harness';
import { type InvoiceLoad, tally, tallyTable, type Tally } from './invoice-load';
import { type DeliveryEntry, PLANTED_TYPE, PlantedFindings } from './planted-findings';
import { restartSupervised, startReplicatedSystem, stopReplicatedSystem } from './replicated-system';

jest.setTimeout(600_000);

/** A sender's claim on a notification (NOTIFIER_SENDING_LEASE_MS); production's is 2 minutes. */
const LEASE_MS = 15_000;
/** Longer than the claim lease and than a consumer's session (30 s). */
const PAUSE_MS = 35_000;
const PER_SCOPE = 10;

describe('notifications on a three-node cluster while the notifier processes die and hang', () => {
  const scope = uniqueName('cluster_notify');
  let system: SystemHarness;
  let admin: Admin;
  let db: Client;
  let load: InvoiceLoad;
  let planted: PlantedFindings;
  const rows: Tally[] = [];

  beforeAll(async () => {
    ({ system, admin, db, load } = await startReplicatedSystem(scope, {
      notifier: {
        NOTIFIER_SENDING_LEASE_MS: String(LEASE_MS),
        // every message of the case within one window: a rate limit would only delay them
        NOTIFIER_RATE_LIMIT_SMS: '1000',
        NOTIFIER_RATE_LIMIT_EMAIL: '1000',
      },
    }));
    planted = new PlantedFindings(system, PER_SCOPE);
    await planted.route();
    await planted.plant();
  });

  afterAll(async () => {
    if (rows.length) console.log(`\n${tallyTable(rows)}\n`);
    await stopReplicatedSystem(scope, { system, admin, db });
  });

  it('every email and SMS the rules call for arrives, none twice, while one notifier is killed and the other paused', async () => {
    const [first, second, third, fourth] = planted.scopes;
    // Slow enough that each sender has several messages in flight when a fault strikes.
    await system.sandbox.setFaults('smtp', { latency: { fixedMs: 3_000 } });
    await system.sandbox.setFaults('sms', { latency: { fixedMs: 800 } });
    // Invoices flow meanwhile: sync's results reach the notifier's group through every rebalance.
    const ingesting = load.ingest(120);

    expect(await planted.reconcile(first)).toBe('completed');
    await mailArrived(2);
    await system.kill('notifier');
    // Raised while the killed process is still a member of the group: its partitions wait for its session to end.
    expect(await planted.reconcile(second)).toBe('completed');
    await restartSupervised(system, 'notifier', 1);

    const before = (await system.sandbox.mail()).length;
    expect(await planted.reconcile(third)).toBe('completed');
    await mailArrived(before + 2);
    system.pause('notifier#2');
    const pausedAt = Date.now();
    // Raised while the paused process holds its partitions and its claims.
    expect(await planted.reconcile(fourth)).toBe('completed');
    await new Promise((r) => setTimeout(r, Math.max(0, pausedAt + PAUSE_MS - Date.now())));
    system.resume('notifier#2');
    const resumedAt = Date.now();
    await ingesting;

    await system.sandbox.clearFaults('smtp');
    await system.sandbox.clearFaults('sms');
    await waitQuiet(system, admin, { timeoutMs: 240_000 });

    expect(await planted.findingTypes()).toEqual({ [PLANTED_TYPE]: planted.expectedPerChannel / 2 });
    const log = await planted.deliveryLog();
    const owed = log.filter((n) => n.channel === 'email' || n.channel === 'sms');
    expect(count(owed, 'email')).toBe(planted.expectedPerChannel);
    expect(count(owed, 'sms')).toBe(planted.expectedPerChannel);
    // The faults struck sends in flight: some claims were taken over after their lease.
    const takenOver = await takenOverClaims();
    expect(takenOver).toBeGreaterThan(0);

    // Held for a person: emails whose sender stopped during the call. They resend those the recipient did not get.
    const held = owed.filter((n) => n.status === 'unknown');
    expect(held.every((n) => n.channel === 'email')).toBe(true);
    const { mail: received } = await planted.arrivals();
    const missing = held.filter((n) => !received.has(n.messageRef));
    for (const n of missing) await planted.resend(n.id);
    await waitQuiet(system, admin, { timeoutMs: 120_000 });

    const { mail, sms } = await planted.arrivals();
    const after = await planted.deliveryLog();
    console.log(
      `notifier faults: ${takenOver} claims taken over after their lease, ${held.length} emails held as unknown, ` +
        `${missing.length} of them resent (not received), ${held.length - missing.length} received before`,
    );
    expect(after.filter((n) => n.channel === 'sms').every((n) => n.status === 'sent')).toBe(true);
    expect(arrivalsOf(owed, 'email', mail)).toEqual(owed.filter((n) => n.channel === 'email').map(() => 1));
    expect(arrivalsOf(owed, 'sms', sms)).toEqual(owed.filter((n) => n.channel === 'sms').map(() => 1));
    // Nothing else arrived either (the sandbox's mail and SMS are exactly the owed messages).
    expect([...mail.values()].reduce((a, b) => a + b, 0)).toBe(planted.expectedPerChannel);
    expect([...sms.values()].reduce((a, b) => a + b, 0)).toBe(planted.expectedPerChannel);

    const row = await tally(
      system,
      db,
      load,
      'kill -9 of one notifier mid-send, SIGSTOP of the other 35 s mid-send',
      resumedAt,
    );
    rows.push(row);
    expect(row).toEqual({
      ...row,
      accepted: row.sent,
      syncLedger: row.sent,
      atAuthority: row.sent + planted.expectedPerChannel / 2,
      duplicates: 0,
      notifications: planted.expectedPerChannel * 2,
      duplicateNotifications: 0,
      undelivered: 0,
    });
  });

  async function mailArrived(n: number): Promise<void> {
    await pollUntil(
      () => system.sandbox.mail(),
      (mail) => mail.length >= n,
      { timeoutMs: 120_000, intervalMs: 200, what: `${n} emails at the sandbox` },
    );
  }

  /** Notifications claimed more than once: a sender died or hung with the claim, and another took it over. */
  async function takenOverClaims(): Promise<number> {
    const { rows: found } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${system.schemaOf('notifier')}.notifications WHERE claims > 1`,
    );
    return Number(found[0].n);
  }
});

function count(entries: DeliveryEntry[], channel: string): number {
  return entries.filter((n) => n.channel === channel).length;
}

/** How many times each owed message of `channel` arrived, in the delivery log's order. */
function arrivalsOf(entries: DeliveryEntry[], channel: string, arrived: Map<string, number>): number[] {
  return entries.filter((n) => n.channel === channel).map((n) => arrived.get(n.messageRef) ?? 0);
}
