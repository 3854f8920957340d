import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recentWarnings } from './failure-report';

describe("a browser failure's report of what the system logged", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'failure-report-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const line = (entry: Record<string, unknown>) => JSON.stringify(entry);

  it('lists the warnings and errors since the test began, newest first, and any process that exited', () => {
    writeFileSync(
      join(dir, 'console.log'),
      [
        line({ level: 'warn', time: '2026-03-02T01:59:59.000Z', msg: 'before the test' }),
        line({ level: 'info', time: '2026-03-02T02:00:01.000Z', msg: 'request completed' }),
        line({
          level: 'warn',
          time: '2026-03-02T02:00:02.000Z',
          msg: 'The reconcile service did not answer in time',
          code: 'SERVICE_TIMEOUT',
          req: { method: 'GET', url: '/api/reconcile/findings' },
        }),
        'not json at all',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'reconcile.log'),
      [
        line({
          level: 'error',
          time: '2026-03-02T02:00:03.000Z',
          msg: 'query failed',
          err: { message: 'too many clients' },
        }),
        '',
        '--- device-gateway exited (code 1) ---',
      ].join('\n'),
    );

    expect(recentWarnings(dir, Date.parse('2026-03-02T02:00:00.000Z'))).toEqual([
      'device-gateway exited (code 1)',
      '02:00:03.000 reconcile error: query failed (too many clients)',
      '02:00:02.000 console warn: The reconcile service did not answer in time code=SERVICE_TIMEOUT GET /api/reconcile/findings',
    ]);
  });

  it('says so when the log directory is missing', () => {
    expect(recentWarnings(join(dir, 'nowhere'), 0)).toEqual([`(no logs under ${join(dir, 'nowhere')})`]);
  });
});
