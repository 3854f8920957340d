import { isAppError } from '@lib/common';
import { DEVICE_STATUSES } from '@lib/contracts';
import { nextStatus, StatusAction } from './device-status.rules';

const outcome = (current: (typeof DEVICE_STATUSES)[number], action: StatusAction) => {
  try {
    return nextStatus('dev_x', current, action) ?? 'unchanged';
  } catch (error) {
    if (isAppError(error)) return `${error.kind}:${error.code}`;
    throw error;
  }
};

describe('device status rules', () => {
  it.each([
    ['active', 'suspend', 'suspended'],
    ['active', 'enable', 'unchanged'],
    ['active', 'retire', 'retired'],
    ['suspended', 'suspend', 'unchanged'],
    ['suspended', 'enable', 'active'],
    ['suspended', 'retire', 'retired'],
    ['retired', 'suspend', 'conflict:DEVICE_RETIRED'],
    ['retired', 'enable', 'conflict:DEVICE_RETIRED'],
    ['retired', 'retire', 'unchanged'],
  ] as const)('%s + %s → %s', (current, action, expected) => {
    expect(outcome(current, action)).toBe(expected);
  });
});
