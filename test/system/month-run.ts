// One month of the scenario played end to end on a fresh system, as of any instant: what the e2e suite, the date
// sweep and (at its own scale) the demo run. The caller owns cleanup through `drop()`.
import { join } from 'node:path';
import type { Admin } from 'kafkajs';
import { dropTestScope, REPO_ROOT, testDatabaseUrl, testKafkaBrokers } from '@lib/testing';
import { planMonth, type MonthPlan, type ScenarioScale } from './month-plan';
import { MonthPlayer, type PlayResult } from './month-play';
import { observe, type Observed } from './month-report';
import { scenarioEnv } from './scenario-env';
import { SERVICES, SystemHarness } from './system-harness';

export interface MonthRun {
  system: SystemHarness;
  plan: MonthPlan;
  play: PlayResult;
  seen: Observed;
}

export interface MonthRunOptions {
  scope: string;
  scale: ScenarioScale;
  admin: Admin;
  /** The instant the system plays (every process's clock moved to it); default: now. */
  at?: Date;
  reconcileLagMs?: number;
  alertWaitMs?: number;
}

/** Starts the system as of `at`, plays the month, reads back what happened; cleans up itself if anything fails. */
export async function runMonth(options: MonthRunOptions): Promise<MonthRun> {
  const reconcileLagMs = options.reconcileLagMs ?? 5_000;
  const system = await SystemHarness.start({
    runtime: 'ts',
    databaseUrl: testDatabaseUrl(),
    kafkaBrokers: testKafkaBrokers().join(','),
    scope: options.scope,
    logDir: join(REPO_ROOT, '.cache', 'test-logs', options.scope),
    env: scenarioEnv({ reconcileLagMs }),
    logLevel: 'warn',
    clockOffsetMs: options.at ? options.at.getTime() - Date.now() : 0,
  });
  try {
    const plan = planMonth(options.scale, system.clock.now());
    const play = await new MonthPlayer(system, plan, options.admin, undefined, {
      reconcileLagMs,
      alertWaitMs: options.alertWaitMs ?? 12_000,
      settleTimeoutMs: 240_000,
    }).play();
    return { system, plan, play, seen: await observe(system, plan) };
  } catch (error) {
    await dropMonth(system, options.admin);
    throw error;
  }
}

/** Stops the system and drops its schemas and topics (unless KEEP_SYSTEM=1, to look at them). */
export async function dropMonth(system: SystemHarness | undefined, admin: Admin): Promise<void> {
  if (!system) return;
  await system.stop();
  if (process.env.KEEP_SYSTEM === '1')
    return console.log(`kept schemas and topics of ${system.options.scope}`);
  for (const service of SERVICES) await dropTestScope(admin, system.topicPrefix, system.schemaOf(service));
}
