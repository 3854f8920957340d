import { ManualClock } from '@lib/common';
import { breakerOpen, FakeTargetAdapter, notSent, unknownOutcome } from '../../test/support/fake-target.adapter';
import { claimed, POLICY } from '../../test/support/claimed-delivery.fixture';
import { TargetAdapters } from '../targets/target-adapters';
import { DeliveryAttemptRunner } from './delivery-attempt.runner';

describe('delivery attempt (fake adapters, manual clock)', () => {
  let clock: ManualClock;
  let authority: FakeTargetAdapter;
  let baiwang: FakeTargetAdapter;
  let runner: DeliveryAttemptRunner;
  const noPlatforms = async () => [];

  beforeEach(() => {
    clock = new ManualClock('2026-01-01T00:00:00Z');
    authority = new FakeTargetAdapter('authority');
    baiwang = new FakeTargetAdapter('baiwang');
    runner = new DeliveryAttemptRunner(new TargetAdapters([authority, baiwang]), POLICY, clock);
  });

  it('sends a fresh delivery straight away, without a lookup', async () => {
    const outcome = await runner.run(claimed(), noPlatforms);
    expect(outcome).toMatchObject({ result: { kind: 'accepted' }, counted: true });
    expect(authority.lookups).toHaveLength(0);
    expect(authority.uploads.map((u) => u.serialNo)).toEqual(['SYSERIAL1']);
    expect(outcome.calls).toEqual([expect.objectContaining({ action: 'upload', outcome: 'accepted', serialNo: 'SYSERIAL1' })]);
  });

  it('after an unknown outcome, finds the invoice at the target and does not send it again', async () => {
    authority.nextUploads = [(request) => (authority.accept(request), Promise.reject(unknownOutcome('authority')))];
    const first = await runner.run(claimed(), noPlatforms);
    expect(first.result).toMatchObject({ kind: 'failed', failure: 'unknown', code: 'TIMEOUT' });
    const second = await runner.run(claimed({ needsLookup: true, attempts: 1 }), noPlatforms);
    expect(second.result).toMatchObject({ kind: 'accepted' });
    expect(authority.uploads).toHaveLength(1);
    expect(authority.duplicates).toBe(0);
    expect(second.calls.map((c) => `${c.action}:${c.outcome}`)).toEqual(['lookup:found_accepted']);
  });

  it('tells the adapter when the serial was first sent (it survives a restart of sync)', async () => {
    const firstSentAt = new Date('2025-12-31T23:55:00Z');
    await runner.run(claimed({ needsLookup: true, attempts: 1, firstSentAt }), noPlatforms);
    expect(authority.lookups.map((l) => l.firstSentAt)).toEqual([firstSentAt]);
    expect(authority.uploads.map((u) => u.firstSentAt)).toEqual([firstSentAt]);
    await runner.run(claimed(), noPlatforms);
    expect(authority.uploads[1]).not.toHaveProperty('firstSentAt');
  });

  it('after an unknown outcome, re-sends under the same serial only when the target answers absent', async () => {
    const outcome = await runner.run(claimed({ needsLookup: true, attempts: 1 }), noPlatforms);
    expect(outcome.calls.map((c) => `${c.action}:${c.outcome}`)).toEqual(['lookup:absent', 'upload:accepted']);
    expect(authority.uploads[0].serialNo).toBe('SYSERIAL1');
    expect(outcome.counted).toBe(true);
  });

  it('keeps knowing nothing when the lookup itself fails: no upload', async () => {
    authority.nextLookups = [notSent('authority')];
    const outcome = await runner.run(claimed({ needsLookup: true }), noPlatforms);
    expect(outcome.result).toMatchObject({ kind: 'failed', failure: 'not_sent' });
    expect(authority.uploads).toHaveLength(0);
  });

  it('polls a pending delivery; "absent" within the grace after submit still means pending', async () => {
    baiwang.nextLookups = [{ status: 'absent' }, { status: 'found', state: 'accepted', targetRecordId: 'bw-1' }];
    const since = clock.now();
    clock.advance(4_000);
    const early = await runner.run(claimed({ target: 'baiwang', pendingSince: since }), noPlatforms);
    expect(early).toMatchObject({ result: { kind: 'pending' }, counted: false });
    expect(baiwang.uploads).toHaveLength(0);
    const done = await runner.run(claimed({ target: 'baiwang', pendingSince: since, polls: 1 }), noPlatforms);
    expect(done.result).toEqual({ kind: 'accepted', targetRecordId: 'bw-1' });
  });

  it('re-sends a pending delivery the target lost, once the grace has passed', async () => {
    const since = clock.now();
    clock.advance(POLICY.absentGraceMs + 1);
    const outcome = await runner.run(claimed({ target: 'baiwang', pendingSince: since }), noPlatforms);
    expect(outcome.calls.map((c) => `${c.action}:${c.outcome}`)).toEqual(['lookup:absent', 'upload:accepted']);
  });

  it('asks for a re-issue when the target finished the invoice as failed (Nuonuo 22/24)', async () => {
    baiwang.nextLookups = [{ status: 'found', state: 'failed', code: '22', message: '开票失败' }];
    const outcome = await runner.run(claimed({ target: 'baiwang', pendingSince: clock.now() }), noPlatforms);
    expect(outcome.result).toEqual({ kind: 'reissue', code: '22', message: '开票失败' });
    expect(baiwang.uploads).toHaveLength(0);
  });

  it('maps answers and errors: rejected is final, breaker-open is deferred and not counted, retryAfter is kept', async () => {
    authority.nextUploads = [{ status: 'rejected', code: 'INVALID_TAX_CODE', message: 'bad line' }, breakerOpen('authority'), notSent('authority', 'RATE_LIMITED', 30_000)];
    expect((await runner.run(claimed(), noPlatforms)).result).toMatchObject({ kind: 'rejected', code: 'INVALID_TAX_CODE' });
    expect(await runner.run(claimed(), noPlatforms)).toMatchObject({ result: { kind: 'deferred', code: 'BREAKER_OPEN' }, counted: false });
    expect((await runner.run(claimed(), noPlatforms)).result).toMatchObject({ kind: 'failed', retryAfterMs: 30_000 });
  });

  it('treats an error that is not an ExternalCallError as an unknown outcome (it may have reached the target)', async () => {
    authority.nextUploads = [() => Promise.reject(new Error('socket hang up'))];
    expect((await runner.run(claimed(), noPlatforms)).result).toMatchObject({ kind: 'failed', failure: 'unknown', code: 'ADAPTER_FAILED' });
  });

  describe('failover', () => {
    const views = async () => [{ target: 'baiwang' as const, status: 'pending' as const }];

    it('relays through an allowed platform while the authority breaker is open, sending nothing to the authority', async () => {
      authority.available = false;
      const outcome = await runner.run(claimed(), views);
      expect(outcome).toMatchObject({ result: { kind: 'relay', via: 'baiwang' }, counted: false });
      expect(authority.uploads).toHaveLength(0);
    });

    it('does not relay for a taxpayer that does not allow it, nor through a platform that is down', async () => {
      authority.available = false;
      authority.nextUploads = [breakerOpen('authority'), breakerOpen('authority')];
      const routing = { taxNo: 'T', platforms: ['baiwang' as const], allowFailover: false };
      expect((await runner.run(claimed({ routing }), views)).result.kind).toBe('deferred');
      baiwang.available = false;
      expect((await runner.run(claimed(), views)).result.kind).toBe('deferred');
    });

    it('goes direct again once the authority is reachable', async () => {
      expect((await runner.run(claimed(), views)).result.kind).toBe('accepted');
      expect(authority.uploads).toHaveLength(1);
    });
  });
});
