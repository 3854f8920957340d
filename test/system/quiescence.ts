// "Nothing is moving": every outbox empty, every consumer group caught up, sync with nothing left to deliver and the
// notifier with nothing queued. It must hold for `calmMs`, since one service's last step is another's first: long
// enough for sync's backlog gauges and the notifier's queue gauge, refreshed on their own schedules, to be read anew
// twice (calmAfter).
import { AssignerProtocol, type Admin } from 'kafkajs';
import { SERVICES, type SystemHarness } from './system-harness';

/** The consumer groups every system runs, by their unprefixed names (the apps' *_CONSUMER_GROUP). */
const SYSTEM_GROUPS = ['sync', 'reconcile', 'notifier'];

export interface QuietState {
  outbox: number;
  /** System groups not (yet, or no longer) Stable with members: one still joining has consumed nothing. */
  groupsNotStable: number;
  consumerLag: number;
  syncBacklog: number;
  syncWaiting: number;
  notifierDue: number;
}

export async function quietState(system: SystemHarness, admin: Admin): Promise<QuietState> {
  const outbox = (await Promise.all(SERVICES.map((s) => system.metric(s, 'outbox_depth')))).reduce(
    (a, b) => a + b,
    0,
  );
  const expected = SYSTEM_GROUPS.map((g) => `${system.topicPrefix}${g}`);
  const groups = await groupsInfo(admin, expected);
  return {
    outbox,
    groupsNotStable: groups.notStable,
    consumerLag: await consumerLag(admin, system.topicPrefix, groups.subscriptions),
    syncBacklog: await system.metric('sync', 'sync_deliveries_backlog'),
    syncWaiting: await system.metric('sync', 'sync_deliveries_waiting'),
    notifierDue: await system.metric('notifier', 'notifier_queue_due'),
  };
}

/**
 * Which of the expected groups are not Stable with at least one member, and the topics each Stable one subscribes to.
 * A group that has not joined yet commits nothing, and neither ListGroups nor its committed offsets would show that
 * it owes anything: a system declared quiet while reconcile was still joining after a broker restart (test/faults).
 */
async function groupsInfo(
  admin: Admin,
  expected: string[],
): Promise<{ notStable: number; subscriptions: Map<string, string[]> }> {
  const { groups } = await admin.describeGroups(expected);
  const subscriptions = new Map<string, string[]>();
  let notStable = 0;
  for (const groupId of expected) {
    const group = groups.find((g) => g.groupId === groupId);
    if (!group || group.state !== 'Stable' || group.members.length === 0) {
      notStable++;
      continue;
    }
    const topics = new Set<string>();
    for (const member of group.members)
      for (const topic of AssignerProtocol.MemberMetadata.decode(member.memberMetadata)?.topics ?? [])
        topics.add(topic);
    subscriptions.set(groupId, [...topics]);
  }
  return { notStable, subscriptions };
}

/**
 * Every consumer group of a system seen so far. A group is remembered once listed: on a cluster, a broker that has
 * just come back answers ListGroups without the groups it is still loading as their coordinator, and a group missing
 * from one listing would count as caught up (a quiet system declared while sync's group was restarting, test/cluster).
 */
const knownGroups = new Map<string, Set<string>>();

/**
 * Messages not yet consumed by the groups of this system (its prefix), over all their topics: those with committed
 * offsets and, for the groups in `subscriptions`, the topics they subscribe to (a partition never committed owes all).
 */
export async function consumerLag(
  admin: Admin,
  prefix: string,
  subscriptions: Map<string, string[]> = new Map(),
): Promise<number> {
  const { groups } = await admin.listGroups();
  const known = knownGroups.get(prefix) ?? new Set<string>();
  knownGroups.set(prefix, known);
  for (const g of groups) if (g.groupId.startsWith(prefix)) known.add(g.groupId);
  for (const g of subscriptions.keys()) known.add(g);
  let lag = 0;
  // Several groups read the same topic: its end offsets are asked for once per reading.
  const endsOf = new Map<string, Promise<{ partition: number; high: string }[]>>();
  for (const groupId of known) {
    const committed = await admin.fetchOffsets({ groupId });
    // Asked by topic, the broker answers every partition of each, -1 where nothing was committed yet.
    const topics = new Set([...committed.map((c) => c.topic), ...(subscriptions.get(groupId) ?? [])]);
    const offsets = subscriptions.get(groupId)?.length
      ? await admin.fetchOffsets({ groupId, topics: [...topics] })
      : committed;
    for (const { topic, partitions } of offsets) {
      if (!endsOf.has(topic)) endsOf.set(topic, admin.fetchTopicOffsets(topic));
      const ends = await endsOf.get(topic)!;
      for (const p of partitions) {
        const end = Number(ends.find((e) => e.partition === p.partition)?.high ?? 0);
        const offset = Number(p.offset);
        lag += offset < 0 ? end : Math.max(0, end - offset);
      }
    }
  }
  return lag;
}

/**
 * How long the quiet must hold: twice the longer of the two gauge schedules (sync's SYNC_HOUSEKEEPING_MS, the notifier's
 * NOTIFIER_SCHEDULER_POLL_MS, production defaults when the system does not set them) and a second, at most 6 s.
 */
export function calmAfter(system: SystemHarness): number {
  const setting = (value: string | undefined) => Number(value ?? 5_000) || 5_000;
  const refreshMs = Math.max(
    setting(system.options.env?.sync?.SYNC_HOUSEKEEPING_MS),
    setting(system.options.env?.notifier?.NOTIFIER_SCHEDULER_POLL_MS),
  );
  return Math.min(6_000, 2 * refreshMs + 1_000);
}

/** Waits until the system is quiet (or `timeoutMs`), calling `onTick` with what is still moving. */
export async function waitQuiet(
  system: SystemHarness,
  admin: Admin,
  options: { timeoutMs: number; calmMs?: number; ignoreNotifier?: boolean; onTick?: (s: QuietState) => void },
): Promise<QuietState> {
  const deadline = Date.now() + options.timeoutMs;
  const calmMs = options.calmMs ?? calmAfter(system);
  let quietSince: number | null = null;
  let last: QuietState | undefined;
  while (Date.now() < deadline) {
    last = await quietState(system, admin).catch(() => undefined);
    if (last) options.onTick?.(last);
    const quiet =
      last &&
      last.outbox === 0 &&
      last.groupsNotStable === 0 &&
      last.consumerLag === 0 &&
      last.syncBacklog === 0 &&
      last.syncWaiting === 0 &&
      (options.ignoreNotifier || last.notifierDue === 0);
    quietSince = quiet ? (quietSince ?? Date.now()) : null;
    if (quietSince !== null && Date.now() - quietSince >= calmMs) return last!;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the system did not settle within ${options.timeoutMs} ms: ${JSON.stringify(last)}`);
}
