// The whole system as the cluster suite runs it: on the suite's three-node cluster, every service twice (the second
// processes share the schema, the outbox and the consumer groups), three replicas for every topic, and the devices of
// InvoiceLoad spread over both gateways. Each cluster spec file starts one and stops it with everything it made.
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Client } from 'pg';
import { dropSchema, REPO_ROOT, testDatabaseUrl } from '@lib/testing';
import { scenarioEnv } from '../system/scenario-env';
import { SERVICES, SystemHarness, type ServiceName } from '../system/system-harness';
import { InvoiceLoad } from './invoice-load';
import { clusterCtl } from './kafka-cluster';

export interface ReplicatedSystem {
  system: SystemHarness;
  admin: Admin;
  db: Client;
  load: InvoiceLoad;
}

/** Starts the system on the cluster, each service twice; `env` adds variables per service to the scenario's. */
export async function startReplicatedSystem(
  scope: string,
  env: Partial<Record<ServiceName, Record<string, string>>> = {},
): Promise<ReplicatedSystem> {
  clusterCtl('start');
  const brokers = clusterCtl('brokers');
  const parts: Partial<ReplicatedSystem> = {};
  try {
    parts.admin = new Kafka({
      clientId: 'cluster-faults',
      brokers: brokers.split(','),
      logLevel: logLevel.NOTHING,
    }).admin();
    await parts.admin.connect();
    parts.db = new Client({ connectionString: testDatabaseUrl() });
    await parts.db.connect();
    const system = await SystemHarness.start({
      runtime: 'ts',
      databaseUrl: testDatabaseUrl(),
      kafkaBrokers: brokers,
      scope,
      logDir: join(REPO_ROOT, '.cache', 'test-logs', scope),
      env: replicatedEnv(env),
      partitions: 3,
      logLevel: 'warn',
    });
    parts.system = system;
    for (const service of SERVICES) await restartSupervised(system, service, 2);
    const load = await InvoiceLoad.register(system);
    load.gateways = [system.urls['device-gateway'], system.replicaUrls['device-gateway#2']];
    return { ...(parts as Omit<ReplicatedSystem, 'load'>), load };
  } catch (error) {
    await stopReplicatedSystem(scope, parts);
    throw error;
  }
}

/** Stops every process, drops the schemas and deletes the topics of the system (whatever part of it started). */
export async function stopReplicatedSystem(scope: string, parts: Partial<ReplicatedSystem>): Promise<void> {
  const { system, admin, db } = parts;
  await system?.stop();
  if (system) for (const service of SERVICES) await dropSchema(system.schemaOf(service));
  await db?.end();
  if (admin) {
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(system?.topicPrefix ?? scope));
    await admin.deleteTopics({ topics: mine }).catch(() => undefined);
    await admin.disconnect();
  }
}

/** The scenario's tuning, three replicas for every topic each service provisions, and `extra` on top. */
function replicatedEnv(
  extra: Partial<Record<ServiceName, Record<string, string>>>,
): Partial<Record<ServiceName, Record<string, string>>> {
  const tuned = scenarioEnv({ reconcileLagMs: 3_000 });
  return Object.fromEntries(
    SERVICES.map((s) => [s, { ...(tuned[s] ?? {}), KAFKA_REPLICATION_FACTOR: '3', ...(extra[s] ?? {}) }]),
  );
}

/**
 * Starts (or restarts) one process of a service as a supervisor would: a process that exits during its start is
 * started again, up to three times, a few seconds apart. The PostgreSQL these suites share refuses connections
 * while other engineers' whole-system suites hold them all ("sorry, too many clients already"), and a service exits
 * at once then, as it should; a process that cannot start for another reason fails all three times.
 */
export async function restartSupervised(
  system: SystemHarness,
  service: ServiceName,
  replica: 1 | 2,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (replica === 1) await system.startService(service);
      else await system.startReplica(service, replica);
      return;
    } catch (error) {
      if (attempt === 3 || !/exited .* during start/.test(String(error))) throw error;
      console.warn(
        `${service}${replica === 1 ? '' : `#${replica}`}: start ${attempt} failed, again in 5 s: ${error}`,
      );
      await new Promise((r) => setTimeout(r, 5_000));
    }
  }
}
