import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { dropSchema, pollUntil, testDatabaseUrl, testKafkaBrokers, uniqueName } from '@lib/testing';
import { spawnTs, waitForExit } from '../support/child-process';
import { freePort } from '../support/free-port';

jest.setTimeout(120_000);

const APPS = ['device-gateway', 'sync', 'reconcile', 'notifier'];
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];
// Routes open to anyone (probes and scrapes); every other route needs a token or a device signature.
const OPEN_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
// A device signs each request: these headers change per request, so they are documented as required header
// parameters rather than as an apiKey scheme (a generated client would send one fixed value). docs/conventions.md.
const SIGNED_HEADERS = ['x-device-id', 'x-timestamp', 'x-nonce', 'x-signature'];

interface Operation {
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { in: string; name: string; required?: boolean }[];
}
interface OpenApiDocument {
  openapi: string;
  servers?: { url: string }[];
  security?: Record<string, string[]>[];
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, unknown> };
}

function operations(doc: OpenApiDocument): { name: string; op: Operation; path: string }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({ name: `${m.toUpperCase()} ${path}`, op: item[m], path })),
  );
}

// @apidevtools/swagger-parser loads ES modules that jest's CommonJS loader cannot: it runs in plain Node.
const VALIDATE = `
import SwaggerParser from '@apidevtools/swagger-parser';
let input = '';
for await (const chunk of process.stdin) input += chunk;
try {
  await SwaggerParser.validate(structuredClone(JSON.parse(input)));
  process.stdout.write('valid');
} catch (error) {
  process.stdout.write(String(error.message));
  process.exitCode = 1;
}`;

/** What @apidevtools/swagger-parser says of a document: 'valid' or its errors. */
function validate(doc: OpenApiDocument): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', VALIDATE], {
      cwd: resolve(__dirname, '../..'),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', fail);
    child.on('close', () => done(out));
    child.stdin.end(JSON.stringify(doc));
  });
}

/** Boots one service as `main.ts` would and hands back its OpenAPI document. */
async function fetchDocument(app: string, schema: string): Promise<OpenApiDocument> {
  const port = await freePort();
  const child = spawnTs(resolve(__dirname, `../../apps/${app}/src/main.ts`), {
    PORT: String(port),
    HTTP_HOST: '127.0.0.1',
    DATABASE_URL: testDatabaseUrl(),
    KAFKA_BROKERS: testKafkaBrokers().join(','),
    DB_SCHEMA: schema,
    KAFKA_TOPIC_PREFIX: `${schema}.`,
    KAFKA_PARTITIONS: '1',
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await pollUntil(
      () =>
        fetch(`${base}/readyz`).then(
          (r) => r.status,
          () => 0,
        ),
      (status) => status === 200,
      { timeoutMs: 60_000, intervalMs: 250, what: `${app} ready` },
    );
    const response = await fetch(`${base}/docs/openapi.json`);
    expect(response.status).toBe(200);
    return (await response.json()) as OpenApiDocument;
  } finally {
    child.kill('SIGTERM');
    await waitForExit(child);
  }
}

describe.each(APPS)('%s OpenAPI document', (app) => {
  const schema = uniqueName(`${app.replace('-', '_')}_oas`);
  afterAll(() => dropSchema(schema));

  it('is valid for a standard validator, with summaries, servers and the security schemes its routes use', async () => {
    const doc = await fetchDocument(app, schema);

    // A client generator starts here: an invalid document stops a vendor or an integrator at the first step.
    expect(await validate(doc)).toBe('valid');
    expect(doc.servers?.length).toBeGreaterThan(0);

    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(0);
    const unsummarized = ops.filter(({ op }) => !op.summary?.trim()).map(({ name }) => name);
    expect(unsummarized).toEqual([]);

    const schemes = new Set(Object.keys(doc.components?.securitySchemes ?? {}));
    const used = new Set<string>();
    const unauthenticated: string[] = [];
    const unknownSchemes: string[] = [];
    for (const { name, op, path } of ops) {
      const requirements = op.security ?? doc.security ?? [];
      const named = requirements.flatMap((r) => Object.keys(r));
      named.forEach((scheme) => used.add(scheme));
      unknownSchemes.push(...named.filter((scheme) => !schemes.has(scheme)).map((s) => `${name}: ${s}`));
      if (OPEN_PATHS.has(path)) continue;
      const signed = SIGNED_HEADERS.every((header) =>
        op.parameters?.some((p) => p.in === 'header' && p.name.toLowerCase() === header && p.required),
      );
      if (named.length === 0 && !signed) unauthenticated.push(name);
    }
    expect(unauthenticated).toEqual([]);
    expect(unknownSchemes).toEqual([]);
    // Only the schemes the routes use: a client generator asks for every credential the document names.
    expect([...schemes].sort()).toEqual([...used].sort());
  });
});
