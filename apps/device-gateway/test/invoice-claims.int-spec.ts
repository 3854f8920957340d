import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { createServiceDataSource, prepareSchema } from '@lib/persistence';
import { dropSchema, testDatabaseUrl, uniqueName } from '@lib/testing';
import { GATEWAY_MIGRATIONS } from '../src/persistence/migrations';
import { InvoiceClaim, InvoiceClaimsRepository } from '../src/ingest/invoice-claims.repository';

jest.setTimeout(30_000);

const hash = (text: string) => createHash('sha256').update(text).digest();
const claim = (eventId: string, content: string, invoiceKey: string): InvoiceClaim => ({
  eventId,
  eventType: 'invoice.issued',
  hash: hash(content),
  invoiceKey,
  kind: 'issued',
});

/** The claims statement against real PostgreSQL, including the race its comments promise to handle. */
describe('InvoiceClaimsRepository (real PostgreSQL)', () => {
  const schema = uniqueName('gw_claims');
  const repository = new InvoiceClaimsRepository();
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = createServiceDataSource({
      url: testDatabaseUrl(),
      schema,
      poolSize: 4,
      migrations: GATEWAY_MIGRATIONS,
    });
    await dataSource.initialize();
    await prepareSchema(dataSource, schema);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await dropSchema(schema);
  });

  const inTransaction = (work: (m: EntityManager) => Promise<unknown>) => dataSource.transaction(work);

  it('sorts out new ids, repeated contents, known keys and taken ids in one statement', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await inTransaction((m) =>
      repository.claim(m, 'dev', new Date(), [claim(a, 'x', '0440319001-11111111')]),
    );
    const outcome = (await inTransaction((m) =>
      repository.claim(m, 'dev', new Date(), [
        claim(a, 'x', '0440319001-11111111'), // same id, same content: taken
        claim(b, 'x', '0440319001-11111111'), // new id, content already accepted for the key: same content
        claim(c, 'y', '0440319001-11111111'), // new id, new content for a known key: accepted
      ]),
    )) as Awaited<ReturnType<InvoiceClaimsRepository['claim']>>;
    expect(outcome.taken.get(a)?.equals(hash('x'))).toBe(true);
    expect([...outcome.sameContent]).toEqual([b]);
    expect([...outcome.accepted]).toEqual([c]);
    // The key had a content before (a's); c's own row does not count.
    const known = await inTransaction((m) =>
      repository.knownKeys(
        m,
        [
          { invoiceKey: '0440319001-11111111', kind: 'issued' },
          { invoiceKey: '0440319001-11111111', kind: 'voided' },
          { invoiceKey: '0440319001-99999999', kind: 'issued' },
        ],
        [c],
      ),
    );
    expect([...(known as Set<string>)]).toEqual(['0440319001-11111111|issued']);
    const onlyOwn = await inTransaction((m) =>
      repository.knownKeys(m, [{ invoiceKey: '0440319001-11111111', kind: 'issued' }], [a, c]),
    );
    expect((onlyOwn as Set<string>).size).toBe(0);
  });

  it('reads again an eventId another transaction committed while this statement waited for it', async () => {
    const id = randomUUID();
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await repository.claim(runner.manager, 'dev-1', new Date(), [claim(id, 'first', '0440319001-22222222')]);
    // Another request, other content under another key, same eventId: it blocks on the uncommitted row...
    const racing = inTransaction((m) =>
      repository.claim(m, 'dev-2', new Date(), [claim(id, 'second', '0440319001-33333333')]),
    );
    await new Promise((r) => setTimeout(r, 300));
    await runner.commitTransaction();
    await runner.release();
    // ...and, once the first commits, learns the stored hash (so it can answer IDEMPOTENCY_CONFLICT).
    const outcome = (await racing) as Awaited<ReturnType<InvoiceClaimsRepository['claim']>>;
    expect(outcome.accepted.size + outcome.sameContent.size).toBe(0);
    expect(outcome.taken.get(id)?.equals(hash('first'))).toBe(true);
  });
});
