import { ManualClock } from '@lib/common';
import { InMemoryTokenStore } from './in-memory-token.store';
import { SharedToken } from './shared-token';

describe('SharedToken', () => {
  const clock = new ManualClock('2026-01-01T00:00:00Z');
  const issue = (n: number, lifetimeMs = 3_600_000) => ({ accessToken: `t${n}`, expiresAt: new Date(clock.now().getTime() + lifetimeMs) });

  it('asks the platform once for concurrent callers and across "replicas" sharing the store', async () => {
    const store = new InMemoryTokenStore();
    let fetched = 0;
    const fetch = () => Promise.resolve(issue(++fetched));
    const a = new SharedToken('k', store, clock, 60_000, fetch);
    const b = new SharedToken('k', store, clock, 60_000, fetch);
    const tokens = await Promise.all([a.current(), a.current(), b.current()]);
    expect(tokens.map((t) => t.accessToken)).toEqual(['t1', 't1', 't1']);
    expect(fetched).toBe(1);
  });

  it('renews within the margin (never more than half the lifetime), and replaces a refused token once', async () => {
    const store = new InMemoryTokenStore();
    let fetched = 0;
    const token = new SharedToken('k', store, clock, 600_000, () => Promise.resolve(issue(++fetched, 1_000_000)));
    expect((await token.current()).accessToken).toBe('t1');
    clock.advance(450_000); // margin capped at 500 s: still fresh
    expect((await token.current()).accessToken).toBe('t1');
    clock.advance(100_000);
    expect((await token.current()).accessToken).toBe('t2');
    expect((await token.replace('t2')).accessToken).toBe('t3');
    expect((await token.replace('t2')).accessToken).toBe('t3'); // another caller already replaced it
  });
});
