import { clearCardEventDataSchema, DEVICE_EVENT_NAME_MAX } from '@lib/contracts';
import { eventDeviceName } from './event-device-name';

describe('eventDeviceName', () => {
  it('carries the registered name as it is', () => {
    expect(eventDeviceName('前台1号盘')).toBe('前台1号盘');
    expect(eventDeviceName('  财务室金税盘 ')).toBe('财务室金税盘');
    expect(eventDeviceName('   ')).toBeNull();
  });

  it('cuts a longer registered name to what the event contract allows, never inside a character', () => {
    expect(eventDeviceName('盘'.repeat(200))).toBe('盘'.repeat(DEVICE_EVENT_NAME_MAX));
    // 𠀋 is two UTF-16 units, as zod counts them: 99 units fit one unit more, not a half character
    const cut = eventDeviceName(`${'a'.repeat(99)}𠀋b`);
    expect(cut).toBe('a'.repeat(99));
    const origin = {
      deviceId: 'dev_1',
      branchId: 'sz',
      taxNo: '91440300MA5F8Q2K7X',
      receivedAt: '2026-11-20T02:00:00Z',
      period: '2026-10',
      status: 'succeeded',
      at: '2026-11-10T02:00:00Z',
    };
    expect(
      clearCardEventDataSchema.safeParse({ ...origin, deviceName: eventDeviceName('盘'.repeat(200)) })
        .success,
    ).toBe(true);
  });
});
