import { uuidSchema } from '@lib/contracts';
import { filingDeadline } from '@lib/domain';
import {
  openFilingWindow,
  REMOTE_OPS_BACKOFF_CAP_MS,
  remoteOpEventId,
  remoteOpRequestId,
  remoteOpsBackoffMs,
} from './remote-ops.policy';

describe('remote operations policy', () => {
  it('opens the filing window of the previous month at 00:00 Asia/Shanghai on the 1st and closes it at the deadline', () => {
    const closesAt = filingDeadline('2025-02').closesAt;
    expect(openFilingWindow(new Date('2025-02-28T15:59:59.999Z'))).toBeNull();
    expect(openFilingWindow(new Date('2025-02-28T16:00:00.000Z'))).toMatchObject({
      period: '2025-02',
      opensAt: new Date('2025-02-28T16:00:00.000Z'),
      closesAt,
    });
    expect(openFilingWindow(new Date(closesAt.getTime() - 1))?.period).toBe('2025-02');
    expect(openFilingWindow(closesAt)).toBeNull();
    expect(openFilingWindow(new Date('2025-03-25T04:00:00Z'))).toBeNull();
  });

  it('moves the window with a holiday-shifted deadline (October: National Day)', () => {
    const deadline = filingDeadline('2025-09');
    expect(deadline.deadline > '2025-10-15').toBe(true);
    expect(openFilingWindow(new Date(deadline.closesAt.getTime() - 1))?.period).toBe('2025-09');
  });

  it('doubles the backoff from the initial pause and caps it at two hours', () => {
    expect([1, 2, 3, 4].map((n) => remoteOpsBackoffMs(n, 60_000))).toEqual([
      60_000, 120_000, 240_000, 480_000,
    ]);
    expect(remoteOpsBackoffMs(8, 60_000)).toBe(REMOTE_OPS_BACKOFF_CAP_MS);
    expect(remoteOpsBackoffMs(500, 60_000)).toBe(REMOTE_OPS_BACKOFF_CAP_MS);
  });

  it('derives event ids (UUIDs) and request ids from device, period, step, outcome and attempt', () => {
    const key = { deviceId: 'dev-1', period: '2025-02', step: 'report' as const, attempt: 3 };
    const id = remoteOpEventId(key, 'succeeded');
    expect(uuidSchema.safeParse(id).success).toBe(true);
    expect(remoteOpEventId({ ...key }, 'succeeded')).toBe(id);
    const others = [
      remoteOpEventId(key, 'failed'),
      remoteOpEventId({ ...key, attempt: 4 }, 'succeeded'),
      remoteOpEventId({ ...key, step: 'clear' }, 'succeeded'),
      remoteOpEventId({ ...key, deviceId: 'dev-2' }, 'succeeded'),
      remoteOpEventId({ ...key, period: '2025-03' }, 'succeeded'),
    ];
    expect(new Set([id, ...others]).size).toBe(6);
    expect(remoteOpRequestId(key)).toMatch(/^RO[0-9A-F]{30}$/);
    expect(remoteOpRequestId(key)).toBe(remoteOpRequestId({ ...key }));
    expect(remoteOpRequestId({ ...key, attempt: 4 })).not.toBe(remoteOpRequestId(key));
  });
});
