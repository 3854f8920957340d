import { Logger } from '@nestjs/common';
import { SystemClock } from '@lib/common';
import { claimed } from '../../test/support/claimed-delivery.fixture';
import { FakeTargetAdapter } from '../../test/support/fake-target.adapter';
import { TargetAdapters } from '../targets/target-adapters';
import { ClaimOptions, DeliveryClaimRepository } from './delivery-claim.repository';
import { ClaimedDelivery } from './delivery.model';
import { TargetWorker } from './target-worker';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Due rows handed out by claimDue (oldest first, up to the limit), and what was given back. */
class FakeClaims {
  readonly due: ClaimedDelivery[];
  readonly limits: number[] = [];
  readonly released: string[] = [];

  constructor(n: number) {
    this.due = Array.from({ length: n }, (_, i) => claimed({ id: String(i + 1), serialNo: `SY${i + 1}` }));
  }

  async claimDue(options: ClaimOptions): Promise<ClaimedDelivery[]> {
    this.limits.push(options.limit);
    await wait(1);
    return this.due.splice(0, options.limit);
  }

  async release(claims: { id: string; claims: number }[]): Promise<number> {
    this.released.push(...claims.map((c) => c.id));
    return claims.length;
  }
}

describe('target worker pipeline (fake claims and steps)', () => {
  const adapters = new TargetAdapters([new FakeTargetAdapter('authority')]);
  beforeAll(() => Logger.overrideLogger(false)); // the failing batch logs on purpose
  const options = { target: 'authority' as const, concurrency: 4, leaseMs: 60_000, idlePollMs: 10, defaultFailover: false };

  function worker(claims: FakeClaims, attempt: (d: ClaimedDelivery) => Promise<string>, record: (batch: string[]) => Promise<void>) {
    return new TargetWorker<string>(options, claims as unknown as DeliveryClaimRepository, adapters, { attempt, record }, new SystemClock());
  }

  it('keeps at most `concurrency` calls in flight, claims in batches and records several outcomes per transaction', async () => {
    const claims = new FakeClaims(60);
    let inFlight = 0;
    let maxInFlight = 0;
    const batches: string[][] = [];
    const w = worker(
      claims,
      async (d) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await wait(5);
        inFlight--;
        return d.id;
      },
      async (batch) => {
        await wait(15);
        batches.push(batch);
      },
    );
    w.start();
    while (batches.flat().length < 60) await wait(10);
    await w.stop();
    expect(maxInFlight).toBe(4);
    expect(batches.flat().sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 60 }, (_, i) => String(i + 1)));
    expect(batches.length).toBeLessThan(60);
    expect(Math.max(...claims.limits)).toBeGreaterThan(1);
    expect(claims.released).toEqual([]);
  });

  it('on stop, records what was called and gives back what was claimed but not sent', async () => {
    const claims = new FakeClaims(20);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const started: string[] = [];
    const recorded: string[] = [];
    const w = worker(
      claims,
      async (d) => {
        started.push(d.id);
        await gate;
        return d.id;
      },
      async (batch) => void recorded.push(...batch),
    );
    w.start();
    while (started.length < 4) await wait(5);
    const stopped = w.stop();
    open();
    await stopped;
    expect(recorded.sort()).toEqual([...started].sort());
    expect(started).toHaveLength(4);
    const claimedIds = 20 - claims.due.length;
    expect(claims.released).toHaveLength(claimedIds - 4);
    expect(claims.released.some((id) => started.includes(id))).toBe(false);
  });

  it('records outcomes one by one when their batch fails', async () => {
    const claims = new FakeClaims(12);
    const recorded: string[] = [];
    let failedBatches = 0;
    const w = worker(
      claims,
      async (d) => {
        await wait(2);
        return d.id;
      },
      async (batch) => {
        await wait(5);
        if (batch.length > 1) {
          failedBatches++;
          throw new Error('deadlock detected');
        }
        recorded.push(batch[0]);
      },
    );
    w.start();
    while (recorded.length < 12) await wait(5);
    await w.stop();
    expect(failedBatches).toBeGreaterThan(0);
    expect(recorded.sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 12 }, (_, i) => String(i + 1)));
  });
});
