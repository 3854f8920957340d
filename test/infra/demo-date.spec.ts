// The demo's `--today` / `--at`: which instant it plays, and a clear refusal of anything else.
import { DemoArgumentError, demoDateFrom } from '../../scripts/demo/demo-date';

const realNow = new Date('2026-12-07T03:21:00Z');

describe('the date the demo plays', () => {
  it('plays today by default, on the system clock unmoved', () => {
    expect(demoDateFrom([], realNow)).toEqual({
      at: realNow,
      offsetMs: 0,
      label: '2026-12-07 11:21 Asia/Shanghai (today)',
    });
  });

  it('plays --today at 10:00 in Shanghai, moving every clock by the difference', () => {
    const date = demoDateFrom(['--once', '--today', '2026-12-31'], realNow);
    expect(date.at.toISOString()).toBe('2026-12-31T02:00:00.000Z');
    expect(date.offsetMs).toBe(date.at.getTime() - realNow.getTime());
    expect(date.label).toBe('2026-12-31 10:00 Asia/Shanghai');
    expect(demoDateFrom(['--today=2028-02-29'], realNow).at.toISOString()).toBe('2028-02-29T02:00:00.000Z');
  });

  it('plays --at exactly', () => {
    const date = demoDateFrom(['--at', '2027-01-01T00:40:00+08:00'], realNow);
    expect(date.at.toISOString()).toBe('2026-12-31T16:40:00.000Z');
    expect(date.label).toBe('2027-01-01 00:40 Asia/Shanghai');
  });

  it.each([
    [['--today', '2027-02-29'], "--today takes a date as YYYY-MM-DD (got '2027-02-29')"],
    [['--today', '7.12.2026'], "--today takes a date as YYYY-MM-DD (got '7.12.2026')"],
    [['--today'], '--today needs a value'],
    [['--today', '--once'], '--today needs a value'],
    [['--at', '2026-12-07 10:00'], "--at takes an ISO-8601 instant with its offset (got '2026-12-07 10:00')"],
    [['--today', '2026-12-01', '--at', '2026-12-01T10:00:00Z'], 'give --today or --at, not both'],
  ])('refuses %j', (argv, message) => {
    expect(() => demoDateFrom(argv, realNow)).toThrow(new DemoArgumentError(message));
  });
});
