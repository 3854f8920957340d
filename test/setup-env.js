// Tests run in UTC so that any Asia/Shanghai computation must be explicit in the code under test.
process.env.TZ = 'UTC';
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'error';
// Each service's PostgreSQL pool in tests (in-process apps, and the processes the system harness spawns, which inherit
// this): the suites run four files at a time and the sweep several systems at once, all on PostgreSQL's default 100
// connections. A service peaks at 10 with the production default, and at 4 its tests take as long.
process.env.DATABASE_POOL_SIZE = process.env.DATABASE_POOL_SIZE || '4';
