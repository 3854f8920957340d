import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { TOPICS } from '@lib/contracts';
import { DeviceClient, GatewayAdminClient, RegisteredDevice } from '@lib/device-client';
import { withUsccCheckDigit } from '@lib/domain';
import { configureHttpApp } from '@lib/observability';
import {
  dropSchema,
  testDatabaseUrl,
  testKafka,
  testKafkaBrokers,
  TopicCollector,
  uniqueName,
} from '@lib/testing';
import { GatewayAppModule } from '../../src/app.module';
import { loadGatewayConfig } from '../../src/gateway.config';
import { gatewayHttpOptions } from '../../src/http-options';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const SELLER = withUsccCheckDigit('91440300MA5F8Q2K7');
export const OTHER_SELLER = withUsccCheckDigit('91110108MA01ABCD1');

export function masterKey(): string {
  return randomBytes(32).toString('base64');
}

export interface GatewayOptions {
  /** Share a schema and topic prefix with another instance (a second replica). */
  schema?: string;
  env?: Record<string, string>;
  /** Replace providers (clock, Kafka client...) before the app is built. */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

/** The gateway in this process, on its own schema and topic prefix, listening on a free loopback port. */
export class GatewayHarness {
  readonly schema: string;
  readonly prefix: string;
  readonly env: Record<string, string>;
  app!: INestApplication;
  url!: string;
  admin!: GatewayAdminClient;

  private constructor(
    private readonly options: GatewayOptions,
    private readonly ownsSchema: boolean,
  ) {
    this.schema = options.schema ?? uniqueName('gw');
    this.prefix = `${this.schema}.`;
    this.env = {
      DATABASE_URL: testDatabaseUrl(),
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      DB_SCHEMA: this.schema,
      KAFKA_TOPIC_PREFIX: this.prefix,
      KAFKA_PARTITIONS: '3',
      GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
      GATEWAY_MASTER_KEYS: `k1:${masterKey()}`,
      GATEWAY_RATE_LIMIT_PER_MINUTE: '100000',
      ...options.env,
    };
  }

  static async start(options: GatewayOptions = {}): Promise<GatewayHarness> {
    const harness = new GatewayHarness(options, options.schema === undefined);
    await harness.boot();
    return harness;
  }

  /** Another replica: same schema, topics and keys. */
  static replicaOf(
    first: GatewayHarness,
    options: Omit<GatewayOptions, 'schema'> = {},
  ): Promise<GatewayHarness> {
    return GatewayHarness.start({ ...options, schema: first.schema, env: { ...first.env, ...options.env } });
  }

  topic(name: string): string {
    return `${this.prefix}${name}`;
  }

  get dataSource(): DataSource {
    return this.app.get(DataSource);
  }

  async collect(topics: string[] = [TOPICS.invoiceEvents, TOPICS.deviceEvents]): Promise<TopicCollector> {
    return new TopicCollector(
      testKafka('gateway-test'),
      topics.map((t) => this.topic(t)),
    ).start();
  }

  async registerDevice(taxNo = SELLER, branchId = 'sz-qianhai'): Promise<RegisteredDevice> {
    return this.admin.mustRegister({ taxNo, branchId, name: `device ${branchId}` });
  }

  client(
    device: { deviceId: string; secret: string },
    extra: Partial<ConstructorParameters<typeof DeviceClient>[0]> = {},
  ) {
    return new DeviceClient({
      baseUrl: this.url,
      deviceId: device.deviceId,
      secret: device.secret,
      ...extra,
    });
  }

  async count(table: string): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[];
    return row.n;
  }

  async close(): Promise<void> {
    await this.app?.close();
    if (!this.ownsSchema) return;
    const admin = testKafka('gateway-test-cleanup').admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(this.prefix));
    if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
    await dropSchema(this.schema);
  }

  private async boot(): Promise<void> {
    const config = loadGatewayConfig({ ...process.env, ...this.env });
    let builder = Test.createTestingModule({ imports: [GatewayAppModule.forRoot(config)] });
    if (this.options.override) builder = this.options.override(builder);
    const moduleRef = await builder.compile();
    this.app = moduleRef.createNestApplication({ rawBody: true, bodyParser: false, bufferLogs: true });
    this.app.useLogger(this.app.get(Logger));
    configureHttpApp(this.app, gatewayHttpOptions(config));
    await this.app.listen(0, '127.0.0.1');
    this.url = (await this.app.getUrl()).replace('[::1]', '127.0.0.1');
    this.admin = new GatewayAdminClient(this.url, ADMIN_TOKEN);
  }
}
