import { announceMaintenanceSchema, changeMaintenanceSchema } from '../http/maintenance-body.schema';
import { maintenanceChangedSchema } from './maintenance-events.schema';

const event = {
  windowId: '6f1c1f5e-8a0b-4d57-9a51-6a0e3b1f2c11',
  change: 'announced',
  revision: 1,
  state: 'scheduled',
  target: 'authority',
  startsAt: '2026-11-20T14:00:00Z',
  endsAt: '2026-11-20T22:00:00Z',
  reason: '税局系统升级',
  taxNos: null,
  actor: { kind: 'person', subject: 'u-1', name: '王芳' },
  updatedAt: '2026-11-18T02:00:00Z',
};

describe('maintenance contracts', () => {
  it('accepts a window and defaults its cancel reason', () => {
    expect(maintenanceChangedSchema.parse(event).cancelReason).toBeNull();
  });

  it('refuses a window that ends before it starts, and a cancelled state without a cancellation', () => {
    const bad = maintenanceChangedSchema.safeParse({ ...event, endsAt: event.startsAt, state: 'cancelled' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['endsAt', 'state']);
  });

  it('parses the API bodies: unknown fields, order of the times and an empty change are refused', () => {
    const body = { target: 'baiwang', startsAt: event.startsAt, endsAt: event.endsAt, reason: 'upgrade' };
    expect(announceMaintenanceSchema.parse(body)).toEqual(body);
    expect(announceMaintenanceSchema.safeParse({ ...body, extra: 1 }).success).toBe(false);
    expect(announceMaintenanceSchema.safeParse({ ...body, target: 'aisino' }).success).toBe(false);
    expect(changeMaintenanceSchema.safeParse({ endsAt: '2026-11-21T00:00:00Z' }).success).toBe(true);
    expect(changeMaintenanceSchema.safeParse({ note: 'nothing else' }).success).toBe(false);
    expect(changeMaintenanceSchema.safeParse({ startsAt: event.endsAt, endsAt: event.startsAt }).success).toBe(false);
  });
});
