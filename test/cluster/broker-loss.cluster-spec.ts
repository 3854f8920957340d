// The whole system on a three-node Kafka cluster (replication factor 3, min.insync.replicas 2, acks=all), every
// service running twice, while a node is SIGKILLed, a process killed or one paused under load, at fixed moments and
// then at moments drawn from a seed the run prints (CLUSTER_FAULT_SEED replays it). After each fault: every invoice
// the devices sent was accepted, is in sync's ledger and at the authority exactly once, nothing is left undelivered,
// every consumer group caught up (no partition stuck after its leader moved), and a returned node is back in every
// ISR. The cluster is this suite's own (deploy/kafka/kafka.sh cluster, ports 18092-18094): the single node on 9092
// that the other suites use is not touched.
import { ConfigResourceTypes, type Admin } from 'kafkajs';
import type { Client } from 'pg';
import { OUTBOX_PROGRESS_TOPIC } from '@lib/messaging';
import { uniqueName } from '@lib/testing';
import { waitQuiet } from '../system/quiescence';
import { SERVICES, type SystemHarness } from '../system/system-harness';
import { describeFault, type Fault, faultSeed, planFaults, processName, seededRandom } from './fault-plan';
import { type InvoiceLoad, tally, tallyTable, type Tally } from './invoice-load';
import {
  busiestLeader,
  clusterCtl,
  partitionsOf,
  soleReplicaHolder,
  waitFullyReplicated,
} from './kafka-cluster';
import { restartSupervised, startReplicatedSystem, stopReplicatedSystem } from './replicated-system';

jest.setTimeout(600_000);

const SETTLE_MS = 240_000;
/** Seeded random faults: how many, over how many invoices (CLUSTER_FAULT_STEPS, CLUSTER_FAULT_INVOICES). */
const FAULT_STEPS = Number(process.env.CLUSTER_FAULT_STEPS ?? 6);
const FAULT_INVOICES = Number(process.env.CLUSTER_FAULT_INVOICES ?? 2_000);
/** Longer than sync's delivery lease (15 s in scenarioEnv) and a consumer's session (30 s). */
const PAUSE_MS = 35_000;
/**
 * A guard against a hang only, sized to the run asked for: each step may take a settle, a node's catching up, a
 * pause and a restart at their deadlines, and each invoice half a second to send. A slow step fails on its own
 * deadline (settle) long before this.
 */
const SEEDED_TIMEOUT_MS = FAULT_STEPS * (SETTLE_MS + 120_000 + PAUSE_MS + 90_000) + FAULT_INVOICES * 500;

describe('the system on a three-node Kafka cluster', () => {
  const scope = uniqueName('cluster');
  const rows: Tally[] = [];
  let system: SystemHarness;
  let admin: Admin;
  let db: Client;
  let load: InvoiceLoad;

  beforeAll(async () => {
    ({ system, admin, db, load } = await startReplicatedSystem(scope));
  });

  afterAll(async () => {
    if (rows.length) console.log(`\n${tallyTable(rows)}\n`);
    await stopReplicatedSystem(scope, { system, admin, db });
  });

  async function settle(fault: string, faultEndedAt: number): Promise<Tally> {
    await waitQuiet(system, admin, { timeoutMs: SETTLE_MS, ignoreNotifier: true });
    const row = await tally(system, db, load, fault, faultEndedAt);
    rows.push(row);
    return row;
  }

  function expectIntact(row: Tally): void {
    expect({ ...row, recoveredInSeconds: 0 }).toEqual({
      ...row,
      recoveredInSeconds: 0,
      accepted: row.sent,
      syncLedger: row.sent,
      atAuthority: row.sent,
      duplicates: 0,
      duplicateNotifications: 0,
      undelivered: 0,
    });
  }

  it('provisions every topic of the system with three replicas and min.insync.replicas 2', async () => {
    const partitions = await partitionsOf(admin, system.topicPrefix);
    const mine = partitions.filter((p) => p.topic.startsWith(system.topicPrefix));
    expect(mine.length).toBeGreaterThan(0);
    // The outbox progress topic included: it had one replica until this suite showed every relay waiting for its node.
    const underReplicated = [...new Set(mine.filter((p) => p.replicas.length < 3).map((p) => p.topic))];
    expect(underReplicated).toEqual([]);
    expect(mine.some((p) => p.topic.endsWith(OUTBOX_PROGRESS_TOPIC))).toBe(true);
    for (const internal of ['__consumer_offsets', '__transaction_state']) {
      const own = partitions.filter((p) => p.topic === internal);
      // __transaction_state exists once the first transactional producer (an outbox relay) has run.
      for (const p of own) expect(p.replicas).toHaveLength(3);
    }
    const topic = `${system.topicPrefix}invoice.events.v1`;
    const { resources } = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas'] }],
      includeSynonyms: false,
    });
    expect(resources[0].configEntries.find((e) => e.configName === 'min.insync.replicas')?.configValue).toBe(
      '2',
    );
  });

  it('kill -9 of the busiest leader during ingest, back 40 invoices later: nothing lost, nothing twice', async () => {
    const victim = busiestLeader(await partitionsOf(admin, system.topicPrefix), system.topicPrefix);
    let killed = false;
    let back = 0;
    await load.ingest(120, (n) => {
      if (n === 40) {
        clusterCtl('kill', String(victim));
        killed = true;
      }
      if (n === 80) {
        clusterCtl('start-node', String(victim));
        back = Date.now();
      }
    });
    expect(killed && back > 0).toBe(true);
    const row = await settle(`kill -9 broker ${victim} (leader) during ingest`, back);
    expectIntact(row);
    await waitFullyReplicated(admin, system.topicPrefix, 120_000);
  });

  it('every service twice: kill -9 of one process of each and SIGSTOP of the other beyond its leases, mid-ingest', async () => {
    // Killed: the first processes (the relays' leaders, having started first); restarted 40 invoices later, on their
    // ports. Paused: the second ones, for longer than sync's delivery lease (SYNC_SENDING_LEASE_MS, 15 s here) and
    // than a consumer's session (30 s), so that the other process takes over the paused one's deliveries and
    // partitions; then resumed, the paused process finishes what it had in hand as a zombie would.
    let back = 0;
    let pausedAt = 0;
    await load.ingest(160, async (n) => {
      if (n === 40) for (const s of SERVICES) await system.kill(s);
      if (n === 80) {
        await Promise.all(SERVICES.map((s) => restartSupervised(system, s, 1)));
        for (const s of SERVICES) system.pause(`${s}#2`);
        pausedAt = Date.now();
      }
      if (n === 160) {
        await new Promise((r) => setTimeout(r, Math.max(0, pausedAt + PAUSE_MS - Date.now())));
        for (const s of SERVICES) system.resume(`${s}#2`);
        back = Date.now();
      }
    });
    const row = await settle('kill -9 of one process of each service, SIGSTOP of the other 35 s', back);
    expectIntact(row);
  });

  it('one broker down for the whole delivery: acks=all still has two in sync, nothing lost', async () => {
    await system.sandbox.setFaults('authority', { latency: { fixedMs: 200 } });
    const victim = busiestLeader(await partitionsOf(admin, system.topicPrefix), system.topicPrefix);
    clusterCtl('kill', String(victim));
    await load.ingest(60);
    await system.sandbox.clearFaults('authority');
    const sentAt = Date.now();
    const row = await settle(`broker ${victim} down through delivery`, sentAt);
    clusterCtl('start-node', String(victim));
    expectIntact(row);
    await waitFullyReplicated(admin, system.topicPrefix, 120_000);
  });

  it('kill -9 of the node leading the outbox progress topic during ingest: its leader moves, nothing lost', async () => {
    // Every relay's transaction writes a marker to this topic: its leader moving must not stop the outboxes.
    const progress = `${system.topicPrefix}${OUTBOX_PROGRESS_TOPIC}`;
    const partitions = await partitionsOf(admin, system.topicPrefix);
    const victim =
      soleReplicaHolder(partitions, progress) ?? partitions.find((p) => p.topic === progress)!.leader;
    let back = 0;
    await load.ingest(90, (n) => {
      if (n === 30) clusterCtl('kill', String(victim));
      if (n === 60) {
        clusterCtl('start-node', String(victim));
        back = Date.now();
      }
    });
    const row = await settle(`kill -9 broker ${victim} (outbox progress leader) during ingest`, back);
    expectIntact(row);
    await waitFullyReplicated(admin, system.topicPrefix, 120_000);
  });

  // A new seed each run (printed first; CLUSTER_FAULT_SEED=<seed> plays the same faults at the same moments again).
  it(
    'seeded random faults (CLUSTER_FAULT_SEED): each leaves nothing lost and nothing twice',
    async () => {
      const seed = faultSeed();
      console.log(
        `cluster faults: CLUSTER_FAULT_SEED=${seed} CLUSTER_FAULT_STEPS=${FAULT_STEPS} CLUSTER_FAULT_INVOICES=${FAULT_INVOICES}`,
      );
      for (const step of planFaults(seededRandom(seed), FAULT_STEPS, FAULT_INVOICES)) {
        const stepStarted = Date.now();
        let undo: (() => Promise<void>) | undefined;
        let endedAt = 0;
        await load.ingest(step.invoices, async (n) => {
          if (n === step.strikeAt) undo = await strike(step.fault);
          if (n === step.endAt && undo) {
            await undo();
            endedAt = Date.now();
          }
        });
        const row = await settle(`seed ${seed}: ${describeFault(step.fault)}`, endedAt);
        expectIntact(row);
        if (step.fault.kind === 'broker-kill') await waitFullyReplicated(admin, system.topicPrefix, 120_000);
        console.log(
          `${row.fault}: ${step.invoices} invoices in ${Math.round((Date.now() - stepStarted) / 1000)} s`,
        );
      }
    },
    SEEDED_TIMEOUT_MS,
  );

  /** Strikes a fault now; returns what ends it. */
  async function strike(fault: Fault): Promise<() => Promise<void>> {
    if (fault.kind === 'broker-kill') {
      clusterCtl('kill', String(fault.node));
      return async () => void clusterCtl('start-node', String(fault.node));
    }
    const name = processName(fault.service, fault.replica);
    const restart = () => restartSupervised(system, fault.service, fault.replica);
    if (fault.kind === 'replica-kill') {
      await system.kill(name);
      return restart;
    }
    system.pause(name);
    const pausedAt = Date.now();
    return async () => {
      await new Promise((r) => setTimeout(r, Math.max(0, pausedAt + PAUSE_MS - Date.now())));
      system.resume(name);
    };
  }
});
