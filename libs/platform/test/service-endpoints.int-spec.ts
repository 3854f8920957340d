import { INestApplication } from '@nestjs/common';
import { resolve } from 'node:path';
import type { Admin, GroupDescription } from 'kafkajs';
import { ensureTopics } from '@lib/messaging';
import { dropTestScope, pollUntil, serviceTestEnv, testKafka, uniqueName } from '@lib/testing';
import { spawnTs, killHard, waitForExit } from '../../../test/support/child-process';
import { bootstrapService } from '../src';
import { PROBE_GROUP, PROBE_TOPIC, probeService } from './probe-service';

jest.setTimeout(120_000);

const METRICS_TOKEN = 'metrics-token-0123456789-0123456789';
/** How long the group waits for the killed member: what a restarted pod would otherwise wait before answering HTTP. */
const DEAD_MEMBER_SESSION_MS = 25_000;
const DEAD_MEMBER_CLIENT = 'dead-member';

/** The group is stable with our consumer alone (the killed member has been dropped). */
function ourConsumerJoined(group: GroupDescription): boolean {
  return (
    group.state === 'Stable' && group.members.length === 1 && group.members[0].clientId !== DEAD_MEMBER_CLIENT
  );
}

/** A service whose consumer group still holds a member killed with SIGKILL, as after a pod's hard restart. */
describe('a service starting while its consumer group waits out a dead member', () => {
  const schema = uniqueName('platform_probe');
  const prefix = `${schema}.`;
  const env: Record<string, string> = {
    ...serviceTestEnv({ schema, prefix, port: 0, partitions: 1 }),
    METRICS_TOKEN,
    DOCS_ENABLED: 'false',
  };
  let admin: Admin;
  let starting: Promise<INestApplication>;
  let base: string;
  let startedInMs: number;

  beforeAll(async () => {
    admin = testKafka('platform-probe-admin').admin();
    await admin.connect();
    await ensureTopics(admin, [{ name: prefix + PROBE_TOPIC, partitions: 1 }]);
    const member = spawnTs(resolve(__dirname, 'group-member.ts'), {
      KAFKA_BROKERS: env.KAFKA_BROKERS,
      MEMBER_CLIENT_ID: DEAD_MEMBER_CLIENT,
      MEMBER_GROUP: prefix + PROBE_GROUP,
      MEMBER_TOPIC: prefix + PROBE_TOPIC,
      MEMBER_SESSION_TIMEOUT_MS: String(DEAD_MEMBER_SESSION_MS),
    });
    await new Promise<void>((joined, failed) => {
      member.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('joined') && joined());
      void waitForExit(member).then((code) => failed(new Error(`group member exited with ${code}`)));
    });
    await killHard(member);

    const started = Date.now();
    const { config, module } = probeService(env);
    starting = bootstrapService({ module, config, title: 'platform-probe', consumerGroup: PROBE_GROUP });
    await Promise.race([starting, new Promise((late) => setTimeout(late, 10_000))]);
    startedInMs = Date.now() - started;
    const app = await starting;
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });

  afterAll(async () => {
    // Closed once the consumer has joined (a consumer leaving in the middle of a join is another story).
    const app = await starting;
    await pollUntil(
      () => admin.describeGroups([prefix + PROBE_GROUP]),
      ({ groups: [group] }) => ourConsumerJoined(group),
      { timeoutMs: 60_000, intervalMs: 500, what: 'the consumer to join' },
    );
    await app.close();
    await dropTestScope(admin, prefix, schema);
    await admin.disconnect();
  });

  it('listens before the consumer has joined: /healthz and /readyz answer at once', async () => {
    expect(startedInMs).toBeLessThan(10_000);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, kafka: { status: 'up' } },
    });
    const { groups } = await admin.describeGroups([prefix + PROBE_GROUP]);
    expect(ourConsumerJoined(groups[0])).toBe(false); // still waiting for the dead member: the test shows what it claims
  });

  it('serves /metrics only with METRICS_TOKEN as a bearer token', async () => {
    const metrics = (authorization?: string) =>
      fetch(`${base}/metrics`, { headers: authorization ? { authorization } : {} });
    const anonymous = await metrics();
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('process_cpu');
    expect((await metrics('Bearer not-the-token')).status).toBe(401);
    const scraped = await metrics(`Bearer ${METRICS_TOKEN}`);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('process_cpu_user_seconds_total');
  });

  it('serves no /docs with DOCS_ENABLED=false', async () => {
    expect((await fetch(`${base}/docs`)).status).toBe(404);
    expect((await fetch(`${base}/docs/openapi.json`)).status).toBe(404);
  });
});
